"""The one typed settings object.

Built once by the entry point (`ngage serve`, the CLI, or a test) and passed
down; no module reads the environment on its own.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class IceServer(BaseModel):
    """A STUN or TURN server handed to browsers (`RTCIceServer`)."""

    urls: list[str] | str
    username: str | None = None
    credential: str | None = None


class Settings(BaseSettings):
    """Service settings, from `NGAGE_*` environment variables or a TOML/.env file."""

    model_config = SettingsConfigDict(env_prefix="NGAGE_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    public_url: str = ""
    data_dir: Path = Path("./ngage-data")
    database_url: str = ""
    secret_key: SecretStr | None = None
    timestamp_window_seconds: int = Field(default=300, ge=1)
    download_ttl_seconds: int = Field(default=24 * 3600, ge=1)
    meeting_link_ttl_seconds: int = Field(default=30 * 24 * 3600, ge=60)
    credential_cache_seconds: float = Field(default=2.0, ge=0)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    access_log: bool = True
    log_level: str = "info"
    # Live meetings. Empty janus_url: `ngage serve` runs a private Janus itself.
    media: bool = True
    janus_url: str = ""
    janus_api_secret: SecretStr | None = None
    janus_binary: str = "janus"
    janus_rtp_ports: str = Field(default="20000-40000", pattern=r"^\d+-\d+$")
    janus_ice_interfaces: str = ""
    janus_public_ip: str = ""
    janus_stun_server: str = ""
    ice_servers: list[IceServer] = Field(default_factory=list)
    empty_meeting_grace_seconds: float = Field(default=300.0, ge=0)
    # Phone call-out through Janus's SIP plugin. Empty sip_trunk: call-out is not configured.
    sip_trunk: str = Field(default="", pattern=r"^(sips?:[^@\s]+)?$")
    sip_username: str = ""
    sip_password: SecretStr | None = None
    sip_caller_id: str = Field(default="ngage", pattern=r"^[A-Za-z0-9_.+-]{1,32}$")
    sip_local_ip: str = ""
    # Recording jobs: a huey queue in SQLite (data dir) unless a Redis URL is given.
    redis_url: str = ""
    jobs_embedded: bool = True
    job_workers: int = Field(default=1, ge=1, le=16)
    recording_lease_seconds: float = Field(default=60.0, gt=0)
    recording_attempts: int = Field(default=4, ge=1)
    keep_raw_recordings: bool = False

    @field_validator("public_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def base_url(self) -> str:
        """Base of every link the API returns."""
        return self.public_url or f"http://{self.host}:{self.port}"

    @property
    def store_url(self) -> str:
        """The database URL, defaulting to SQLite inside the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir.resolve() / 'ngage.db'}"

    @property
    def callout_configured(self) -> bool:
        return bool(self.sip_trunk)

    @property
    def recordings_dir(self) -> Path:
        return self.data_dir / "recordings"

    @property
    def janus_dir(self) -> Path:
        return self.data_dir / "janus"

    @property
    def key_file(self) -> Path:
        return self.data_dir / "secret.key"


def load_settings(config_file: Path | None = None) -> Settings:
    """Build settings from the environment, optionally layered over a TOML file."""
    if config_file is None:
        return Settings()
    import tomllib

    with config_file.open("rb") as handle:
        values = tomllib.load(handle)
    # Environment variables win over the file, as operators expect.
    env = Settings().model_dump(exclude_unset=True)
    return Settings(**{**values, **env})
