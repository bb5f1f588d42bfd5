"""Every table: importing this module registers every model in Base.metadata.

Import `Base` from here wherever the whole schema counts (migrations, the sync's table order, copies
of the store, demo rows); a store imports it when it is made. The package's __init__ imports nothing,
so the keys (secrets.py) and the checks of the store file (store.py) load without SQLAlchemy at the
start of the GUI (issue 15).
"""

from app.models import caseload_state, client, intake, journal, pip, progress, supervisor, sync_state  # noqa: F401
from app.models.base import Base

__all__ = ["Base"]
