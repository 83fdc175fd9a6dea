"""Importing what agencies submit: the service list with its operational plan, tables 4 and 5.

No Qt here.  :mod:`layout` describes the workbook, :mod:`template` writes the
blank template, :mod:`workbook` opens a file safely, :mod:`headers` and
:mod:`cells` read it tolerantly, :mod:`validate` finds every error at once,
:mod:`store_checks` adds what needs the database, :mod:`apply` writes it,
:mod:`importer` ties them together.
"""
