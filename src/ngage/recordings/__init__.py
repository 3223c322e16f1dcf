"""Recordings: the catalogue the Recording API lists and the files it serves."""
