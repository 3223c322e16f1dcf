import pytest

from ngage.errors import MediaError
from ngage.media.config import JanusLayout, http_transport_jcfg, janus_jcfg, render
from ngage.media.janus import plugin_data, reply_data, request
from ngage.media.supervisor import janus_command
from ngage.media.videoroom import create_room_body, room_number

LAYOUT = JanusLayout("/tmp/j", 8088, 7088, "api-s", "admin-s", stun_server="stun.example:3478")


def test_render_escapes_strings() -> None:
    text = render({"general": {"name": 'a "b"\\', "on": True, "port": 5}})
    assert text == 'general: {\n\tname = "a \\"b\\"\\\\"\n\ton = true\n\tport = 5\n}\n'


def test_janus_config_is_private() -> None:
    main = janus_jcfg(LAYOUT)
    assert 'api_secret = "api-s"' in main and 'admin_secret = "admin-s"' in main
    assert 'plugins_folder = "/tmp/j/plugins"' in main
    assert 'stun_server = "stun.example"' in main and "stun_port = 3478" in main
    http = http_transport_jcfg(LAYOUT)
    assert 'ip = "127.0.0.1"' in http and 'admin_ip = "127.0.0.1"' in http
    assert "https = false" in http


def test_command() -> None:
    assert janus_command("janus", LAYOUT) == ["janus", "-F", "/tmp/j", "-C", "/tmp/j/janus.jcfg"]


def test_requests_carry_secret_and_unique_transactions() -> None:
    first, second = request("create", "s"), request("create", "s")
    assert first["apisecret"] == "s" and first["transaction"] != second["transaction"]


def test_replies() -> None:
    assert reply_data({"janus": "success", "data": {"id": 5}}) == {"id": 5}
    with pytest.raises(MediaError) as error:
        reply_data({"janus": "error", "error": {"code": 458, "reason": "No such session"}})
    assert error.value.code == 458
    ok = {"janus": "success", "plugindata": {"data": {"videoroom": "created", "room": 1}}}
    assert plugin_data(ok)["room"] == 1
    with pytest.raises(MediaError) as refused:
        plugin_data({"janus": "success", "plugindata": {"data": {"error_code": 427}}})
    assert refused.value.code == 427


def test_rooms() -> None:
    assert room_number("91212048739") == 91212048739
    body = create_room_body(1, "x" * 300, "secret")
    assert body["videocodec"] == "h264" and len(body["description"]) == 100
