"""Use cases shared by the GUI and the command line: one module or package per use case.

Each is an `XService` with `XService.for_profile(profile)` whose methods own their unit of work and
return plain snapshots (docs/architecture.md, "Services"). Where use cases meet, one module calls
each by name: `caseload.py` (the intake's and the PIP's status), `clients.py` (the detail pane and the
right-of-access export), `demo.py` (demo clients, then their intakes, then their PIPs).
"""
