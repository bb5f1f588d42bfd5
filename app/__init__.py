"""Wegwijs: brede intake en PIP voor klantmanagers (Wet inburgering 2021)."""

__version__ = "0.1.0"
