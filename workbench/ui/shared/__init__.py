"""Pieces every room of the window uses: Jalali date fields, error messages, background runs."""
