"""Persistence: SQLAlchemy models, the encrypted store and its Alembic migrations.

The package imports nothing by itself: `app.models.tables` registers every table (a store imports it
when it is made), so the keys (secrets.py) and the checks of the store file (store.py) load without
SQLAlchemy at the start of the GUI (issue 15).
"""
