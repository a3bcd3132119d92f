"""Lộ Trình: track provincial digital-transformation programmes on data instead of paper."""

__version__ = "0.1.0"
