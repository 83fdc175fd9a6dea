"""Floor of ``workbench report tables45`` (whole round): the same rows, openpyxl write-only, no styling."""
import sqlite3
import sys

from openpyxl import Workbook

db = sqlite3.connect(sys.argv[1])
rnd = db.execute("SELECT uuid FROM rounds ORDER BY year DESC LIMIT 1").fetchone()[0]
book = Workbook(write_only=True)
for table, columns in (
    ("reform_rows", "row_no, service_id, service_title, criterion, unit, value_before, value_target, value_after,"
                    " description, accepted, evaluator_note"),
    ("reform_actions", "row_no, service_id, service_title, step, action, start_date, end_date, status,"
                       " description, accepted, evaluator_note"),
):
    sheet = book.create_sheet(table)
    for row in db.execute(
        f"SELECT g.code, g.name, {', '.join('t.' + c.strip() for c in columns.split(','))} FROM {table} t"
        " JOIN agencies g ON g.uuid = t.agency_uuid WHERE t.round_uuid = ? ORDER BY g.code, t.row_no", (rnd,)
    ):
        sheet.append(row)
book.save(sys.argv[2])
