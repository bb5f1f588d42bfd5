"""The Qt GUI: windows, Qt models and background tasks. Never SQL, never ReportLab."""
