"""Credentials: the nGage request signature, signed links and secret storage."""
