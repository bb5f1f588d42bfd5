"""Verhuizing (issue 13): the old municipality closes the case and writes a signed, encrypted
hand-over for the new municipality's supervisor (`send.py`, with a PDF summary in `summary.py`);
the new municipality's `wegwijs import` makes a new case of it (`receive.py`). docs/verhuizing.md.
Nothing is imported here, so the sync import can use `receive` without loading the sending side."""
