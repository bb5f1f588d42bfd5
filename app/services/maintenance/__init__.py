"""Keeping the store safe: backups and restore, the recovery key, integrity checks, private files.

The modules are imported one by one (no re-exports here), so opening a profile loads only what it uses.
"""
