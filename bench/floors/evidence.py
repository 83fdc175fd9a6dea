"""Adding one large evidence file: the workbench's way, or the floor (hash, then incremental blob I/O).

    evidence.py workbench|floor FILE DB
"""
import hashlib
import sqlite3
import sys
from pathlib import Path

who, path, db = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
CHUNK = 1024 * 1024
if who == "floor":
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    size = path.stat().st_size
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE IF NOT EXISTS blobs (sha256 TEXT PRIMARY KEY, size INTEGER, data BLOB)")
    con.execute("INSERT INTO blobs VALUES (?, ?, zeroblob(?))", (digest.hexdigest(), size, size))
    rowid = con.execute("SELECT rowid FROM blobs WHERE sha256 = ?", (digest.hexdigest(),)).fetchone()[0]
    with con.blobopen("blobs", "data", rowid) as blob, open(path, "rb") as f:
        while block := f.read(CHUNK):
            blob.write(block)
    con.commit()
else:
    from workbench.model.editing import file_evidence_fields
    from workbench.model.store import open_store

    store = open_store(db)
    with store.session() as session:
        file_evidence_fields(session, "4.4", path)
        session.commit()
    store.close()
