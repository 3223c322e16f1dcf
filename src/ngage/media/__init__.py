"""The media plane: a private Janus WebRTC server and the adapter that drives it.

Browsers never talk to Janus for signalling; ngage does, through `JanusClient`.
"""
