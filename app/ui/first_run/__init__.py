"""The first-run wizard (issue 16): a new profile without the command line; see wizard.py."""

from app.ui.first_run.wizard import FirstRunWizard, run_first_run

__all__ = ["FirstRunWizard", "run_first_run"]
