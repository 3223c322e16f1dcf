"""ngage: a self-hosted implementation of the nGage Video API."""

__version__ = "0.1.0"
