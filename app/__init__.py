"""Wegwijs: brede intake en PIP voor klantmanagers (Wet inburgering 2021)."""

import time

__version__ = "0.1.0"

# Where --exit-when-ready counts from when the system cannot tell when the process started: the
# first import of the package, before anything else of Wegwijs loads.
STARTED_AT = time.perf_counter()
