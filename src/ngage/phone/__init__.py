"""Phone call-out: ngage's own WebRTC peer (aiortc) between a SIP call and a meeting.

The SIP side is Janus's SIP plugin (`ngage.media.sip`); this package holds the pure
number and URI rules, the audio mixer, and the peer connections of one call.
"""
