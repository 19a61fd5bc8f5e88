"""Pintar Ekspor: export-trade learning platform."""

__version__ = "0.1.0"
