"""Persistence: SQLAlchemy models, the encrypted store and its Alembic migrations.

Importing any model (or `app.models.base`) loads them all, so Base.metadata knows every table
(the end of base.py). The package itself imports nothing: the keys (secrets.py) and the checks of
the store file (store.py) are used at the start of the GUI before SQLAlchemy is loaded (issue 15).
"""
