"""``score_round`` alone, timed inside its process (bench/run.py, row «score_round»).

    score_round.py DB

The database is opened first (its quick check and the imports are the ``score`` row's,
not this one's); then one call of :func:`workbench.model.assessments.score_round` on the
latest round is timed.  Prints ``BENCH {"wall": …, "cpu": …, "rows": …}`` for run.py.
"""
import json
import sys
import time

from workbench.model.assessments import find_round, score_round
from workbench.model.store import open_store

store = open_store(sys.argv[1], create=False)
try:
    with store.session() as session:
        rnd = find_round(session)
        wall, cpu = time.perf_counter(), time.process_time()
        scored = score_round(session, rnd)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
finally:
    store.close()
print("BENCH " + json.dumps({"wall": wall, "cpu": cpu, "rows": len(scored)}))
