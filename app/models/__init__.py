"""Persistence: SQLAlchemy models, the encrypted store and its Alembic migrations.

Every model module is imported here so that Base.metadata knows all tables.
"""

from app.models import caseload_state, client, intake, journal, pip, progress, supervisor, sync_state  # noqa: F401
from app.models.base import Base

__all__ = ["Base"]
