"""Alembic environment: runs the migrations on the connection `ngage.store.migrate` gives."""

from __future__ import annotations

from alembic import context

from ngage.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
