"""Floor of ``workbench score``: the rows a round's scoring needs, read with plain sqlite3.

    score.py DB [--timed]

With ``--timed`` only the reads are timed, inside the process (the floor of the row
«score_round»: the connection is made first), and printed as ``BENCH {"wall": …, "cpu": …}``.
"""
import json
import sqlite3
import sys
import time

db = sqlite3.connect(sys.argv[1])
wall, cpu = time.perf_counter(), time.process_time()
rnd = db.execute("SELECT uuid FROM rounds ORDER BY year DESC LIMIT 1").fetchone()[0]
in_round = "(SELECT uuid FROM assessments WHERE round_uuid = ?)"
queries = [
    "SELECT a.uuid, a.status, g.code, g.name FROM assessments a JOIN agencies g ON g.uuid = a.agency_uuid"
    " WHERE a.round_uuid = ? ORDER BY g.code",
    "SELECT assessment_uuid, key, value, achieved, planned, not_applicable, na_reason FROM answers"
    f" WHERE assessment_uuid IN {in_round}",
    "SELECT assessment_uuid, service_id, request_portal, request_online, request_receipt, request_tracking,"
    f" delivery, counter, gsb FROM service_judgements WHERE assessment_uuid IN {in_round}",
    "SELECT agency_uuid, service_id, parent_service_id, in_request_plan, in_delivery_plan, in_counter_plan,"
    " in_gsb_plan FROM services WHERE round_uuid = ?",
    "SELECT agency_uuid, service_id, accepted FROM reform_rows WHERE round_uuid = ?",
]
count = sum(len(db.execute(q, (rnd,)).fetchall()) for q in queries)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(count)
if "--timed" in sys.argv:
    print("BENCH " + json.dumps({"wall": wall, "cpu": cpu, "rows": count}))
