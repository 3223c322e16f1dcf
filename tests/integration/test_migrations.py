"""The Alembic migrations and the schema module describe the same database."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from ngage.store.migrate import upgrade
from ngage.store.schema import metadata


def test_migrations_match_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ngage.db'}"
    upgrade(url)
    upgrade(url)  # a second run is a no-op
    engine = create_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    assert differences == []
