"""The `ngage` command line."""
