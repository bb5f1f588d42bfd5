"""Persistence: SQLAlchemy models, the encrypted store and its Alembic migrations.

Every model module is imported here so that Base.metadata knows all tables.
"""

from app.models import client, journal, pip  # noqa: F401
from app.models import sync_state  # noqa: F401
from app.models import intake  # noqa: F401
from app.models.base import Base

__all__ = ["Base"]
