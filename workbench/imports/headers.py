"""Finding the sheets and the header row, however the person arranged them.

Names and headers are compared after :func:`workbench.model.text.compact`
(ي/ی, ك/ک, any digit set, ZWNJ, spaces and none all alike), with a note in
brackets or a star for "required" ignored: ``شناسه خدمت (۹ رقمی)*`` is
``شناسه خدمت``.  The header row may sit under title rows, anywhere in the
first :data:`~workbench.imports.layout.HEADER_SEARCH_ROWS` rows, with the
columns in any order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from workbench.imports.layout import Column, Sheet
from workbench.model.text import compact, normalize

_NOTES = re.compile(r"\([^)]*\)|\[[^\]]*\]|[*:：«»\"'.،,؛]")


def header_key(value: object) -> str:
    """The form a sheet name or a header is compared in."""
    if value is None:
        return ""
    return compact(_NOTES.sub(" ", normalize(str(value))))


def match_sheets(titles: list[str], specs: tuple[Sheet, ...]) -> tuple[dict[str, list[str]], list[str]]:
    """Which file sheets are which expected sheet: ``{spec name: [titles]}`` and the unknown titles."""
    keys = {}
    for spec in specs:
        for name in (spec.name, *spec.aliases):
            keys[header_key(name)] = spec.name
    found: dict[str, list[str]] = {}
    unknown = []
    for title in titles:
        spec_name = keys.get(header_key(title))
        if spec_name is None:
            unknown.append(title)
        else:
            found.setdefault(spec_name, []).append(title)
    return found, unknown


@dataclass
class HeaderRow:
    """Where a table's header is and what each column holds."""

    row: int  # 1-based
    columns: dict[int, Column]  # 0-based column index -> column
    #: Headers not recognised: (0-based index, text as written).
    extra: list[tuple[int, str]] = field(default_factory=list)
    #: A column given twice: (column, first index, second index).
    repeated: list[tuple[Column, int, int]] = field(default_factory=list)

    def missing(self, spec: Sheet) -> list[Column]:
        present = set(self.columns.values())
        return [c for c in spec.columns if c.required and c not in present]

    def letter(self, column: Column) -> str:
        for index, col in self.columns.items():
            if col is column:
                return get_column_letter(index + 1)
        raise KeyError(column.key)


def _lookup(spec: Sheet) -> dict[str, Column]:
    table = {}
    for column in spec.columns:
        for name in (column.header, *column.aliases):
            table.setdefault(header_key(name), column)
    return table


def find_header(rows: list[tuple], spec: Sheet) -> HeaderRow | None:
    """The row among ``rows`` (the sheet's first rows) that names most of ``spec``'s columns.

    ``None`` when no row names at least two of them: then the sheet has no
    recognisable header at all.
    """
    lookup = _lookup(spec)
    ignored = {header_key(name) for name in spec.ignored}
    best: HeaderRow | None = None
    best_count = 1
    for number, values in enumerate(rows, start=1):
        columns: dict[int, Column] = {}
        seen: dict[str, int] = {}
        extra, repeated = [], []
        for index, value in enumerate(values):
            key = header_key(value)
            if not key or key in ignored:
                continue
            column = lookup.get(key)
            if column is None:
                extra.append((index, str(value).strip()))
            elif column.key in seen:
                repeated.append((column, seen[column.key], index))
            else:
                seen[column.key] = index
                columns[index] = column
        if len(columns) > best_count:
            best = HeaderRow(number, columns, extra, repeated)
            best_count = len(columns)
    return best
