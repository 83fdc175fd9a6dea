"""Evaluator Workbench (میز کار ارزیاب)."""

__version__ = "0.1.0"
