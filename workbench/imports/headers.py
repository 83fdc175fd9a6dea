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

    row: int  # 1-based; of a two-row header, its second row (the data start below it)
    columns: dict[int, Column]  # 0-based column index -> column
    #: Headers not recognised: (0-based index, text as written).
    extra: list[tuple[int, str]] = field(default_factory=list)
    #: A column given twice: (column, first index, second index).
    repeated: list[tuple[Column, int, int]] = field(default_factory=list)
    #: The header's first row: ``row - 1`` when a group header («مقدار») stands above its columns.
    top: int = 0
    #: Columns under a group header that match no column: (0-based index, «group / sub» as written).
    #: Their values would be lost, so the sheet is refused.
    unplaced: list[tuple[int, str]] = field(default_factory=list)

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

    A header may take two rows: a group header merged over several columns
    («مقدار») and their own headers under it («پیش از بهبود / هدف / پس از
    بهبود»); such a column is named by both («مقدار پیش از بهبود») or by its
    own header alone.  When no column can be named that way, the columns under
    the group are listed in ``unplaced`` (their values must not be dropped).
    """
    lookup = _lookup(spec)
    ignored = {header_key(name) for name in spec.ignored}
    best: HeaderRow | None = None
    best_count = 1
    for number, values in enumerate(rows, start=1):
        one = _match([[v] for v in values], number, lookup, ignored)
        candidates = [one]
        if number < len(rows) and _is_sub_header(values, rows[number]):
            two = _match(_two_row_names(values, rows[number]), number + 1, lookup, ignored)
            two.top = number
            lower = _match([[v] for v in rows[number]], number + 1, lookup, ignored)
            # Two rows only when together they name more than either alone (a title above a header does not).
            if len(two.columns) > max(len(one.columns), len(lower.columns)):
                candidates.append(two)
        for found in candidates:
            if len(found.columns) > best_count:
                best, best_count = found, len(found.columns)
    if best is not None and best.top == best.row - 1:
        # A two-row header: whatever under a group it could not name is unplaced, not just extra.
        top_row, sub_row = rows[best.top - 1], rows[best.row - 1]
        grouped = {i for i, v in enumerate(sub_row) if header_key(v) and _group_of(top_row, sub_row, i) is not None}
        best.unplaced = [(i, _label(top_row, sub_row, i)) for i, _ in best.extra if i in grouped]
        best.extra = [(i, text) for i, text in best.extra if i not in grouped]
    elif best is not None and best.row < len(rows) and _is_sub_header(rows[best.row - 1], rows[best.row]):
        # The row under a one-row header holds headers of its own, under cells no column was found for.
        top_row, sub_row = rows[best.row - 1], rows[best.row]
        best.unplaced = [
            (i, _label(top_row, sub_row, i)) for i, v in enumerate(sub_row) if header_key(v) and i not in best.columns
        ]
    return best


def _label(top: tuple, below: tuple, index: int) -> str:
    """«group / sub» as written, for a message."""
    sub = str(below[index]).strip()
    group = _group_of(top, below, index)
    return f"{str(group).strip()} / {sub}" if group is not None else sub


def _match(names: list[list], number: int, lookup: dict[str, Column], ignored: set[str]) -> HeaderRow:
    """The columns named by ``names`` (for each column, the names to try in order)."""
    columns: dict[int, Column] = {}
    seen: dict[str, int] = {}
    extra, repeated = [], []
    for index, tries in enumerate(names):
        keys = [(header_key(v), v) for v in tries if header_key(v)]
        if not keys or any(k in ignored for k, _ in keys):
            continue
        column = next((lookup[k] for k, _ in keys if k in lookup), None)
        if column is None:
            extra.append((index, str(keys[0][1]).strip()))
        elif column.key in seen:
            repeated.append((column, seen[column.key], index))
        else:
            seen[column.key] = index
            columns[index] = column
    return HeaderRow(number, columns, extra, repeated, top=number)


def _is_sub_header(top: tuple, below: tuple) -> bool:
    """Whether ``below`` reads as the second row of a header: text only, some of it under an empty top cell."""
    under_blank = False
    for index, value in enumerate(below):
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str) or not re.search(r"[^\W\d_]", value):
            return False  # a number, a date, a code: a row of data
        if index >= len(top) or not header_key(top[index]):
            under_blank = True
    return under_blank


def _group_of(top: tuple, below: tuple, index: int):
    """The group header over column ``index``: the nearest top cell at or before it, across a merge."""
    for i in range(min(index, len(top) - 1), -1, -1):
        if header_key(top[i]):
            return top[i]
        if i < index and not header_key(below[i] if i < len(below) else None):
            return None  # a column with no header in either row ends the group
    return None


def _two_row_names(top: tuple, below: tuple) -> list[list]:
    """For each column of a two-row header, the names to try: «group sub», «sub», or the top cell alone."""
    names = []
    for index in range(max(len(top), len(below))):
        sub = below[index] if index < len(below) else None
        own = top[index] if index < len(top) else None
        if not header_key(sub):
            names.append([own])
            continue
        group = _group_of(top, below, index)
        names.append([f"{group} {sub}", sub] if group is not None else [sub])
    return names
