"""Start-up: each use case hooks itself into the shared caseload, export and demo data.

The order matters: the intake registers before the PIP, so the PIP's status wins for a client
that has a PIP, and the PIP's demo filler finds the concluded intakes.
"""

from __future__ import annotations


def install_use_cases() -> None:
    """Idempotent; called by the command line and the GUI before any work."""
    from app.services import intake, pip_view

    intake.install_hooks()
    pip_view.register_with_shared_services()
