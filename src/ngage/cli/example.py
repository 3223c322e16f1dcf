"""The ready-to-paste example request printed when the first app is created."""

from __future__ import annotations

import json

from ngage.auth.apps import IssuedCredentials

_FLAGS = {
    "disableInvite": False,
    "disableCallOut": False,
    "disableRecord": False,
    "disableJoinAudio": False,
    "audioPanelAlwaysOpen": True,
    "showPureSharingContent": False,
    "isSupportAV": True,
    "isSupportChat": True,
    "isSupportQA": True,
    "isSupportPolling": True,
    "isSupportBreakout": True,
    "isSupportCC": True,
    "screenShare": True,
}
_TX_PLACEHOLDER = "@TX@"
_VIEW = {"participants_list": True, "security_option": True, "more_meeting_control": True}


def example_body() -> dict[str, object]:
    return {
        "transaction_id": _TX_PLACEHOLDER,
        "host_name": "User Host",
        "participant_name": "User Participant",
        "topic": "Meeting Ngage",
        "config_host": _FLAGS,
        "view_host": _VIEW,
        "config_participant": {**_FLAGS, "screenShare": False},
        "view_participant": {**_VIEW, "security_option": False},
    }


def example_request(issued: IssuedCredentials, base_url: str) -> str:
    """A shell snippet that signs and sends a Create Meeting request with curl and openssl."""
    # The body sits in single quotes; close them around "$TX" so the shell expands it.
    body = json.dumps(example_body(), indent=2).replace(_TX_PLACEHOLDER, "'\"$TX\"'")
    return f"""API_ID='{issued.api_id}'
API_KEY='{issued.api_key}'
API_SECRET='{issued.api_secret}'
TS=$(date +%s)
SIG=$(printf '%s' "$API_ID:$TS" | openssl dgst -sha256 -hmac "$API_SECRET" -binary | base64)
TX="$API_ID$(date -u +%Y%m%d%H%M%S%3N)"
curl -sS {base_url}/create \\
  -H 'Content-Type: application/json' -H 'Accept: application/json' \\
  -H "api-key: $API_KEY" -H "timestamp: $TS" -H "Signature: $SIG" \\
  -d '{body}'"""
