"""Importing an agency's workbook: the dialog, its preview models and the menu actions."""
