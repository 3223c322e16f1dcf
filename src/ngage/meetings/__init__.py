"""The meeting domain: creating meetings, their roles and config flags."""
