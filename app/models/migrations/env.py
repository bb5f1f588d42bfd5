"""Alembic environment: always runs on the connection the store hands over (it holds the key)."""

from __future__ import annotations

from alembic import context

import app.models.tables  # noqa: F401  (registers every table)
from app.models.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Wegwijs-migraties draaien alleen via de versleutelde opslag (app.models.store).")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
