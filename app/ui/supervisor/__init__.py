"""The supervisor's screens: "Wacht op vaststelling" and its decisions (app/ui/supervisor/queue_screen.py)."""

from app.ui.supervisor.queue_screen import AdoptionQueueWidget

__all__ = ["AdoptionQueueWidget"]
