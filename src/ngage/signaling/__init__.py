"""The meeting signaling protocol (docs/protocol.md): messages, room state, handlers."""
