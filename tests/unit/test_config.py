import os
from pathlib import Path

import pytest

from ngage.config import Settings, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in os.environ if name.startswith("NGAGE_")]:
        monkeypatch.delenv(name)


def test_defaults() -> None:
    settings = Settings()
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)
    assert settings.base_url == "http://127.0.0.1:8080"
    assert settings.store_url.startswith("sqlite:///")


def test_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NGAGE_PORT", "9999")
    monkeypatch.setenv("NGAGE_PUBLIC_URL", "https://video.example.org/")
    settings = Settings()
    assert settings.port == 9999
    assert settings.base_url == "https://video.example.org"


def test_file_with_environment_on_top(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "ngage.toml"
    config.write_text('port = 7000\npublic_url = "https://a.example"\n')
    monkeypatch.setenv("NGAGE_PORT", "7001")
    settings = load_settings(config)
    assert settings.port == 7001
    assert settings.public_url == "https://a.example"
