"""Mutants of a valid workbook: what damaged disks, careless programs and hostile senders make of one.

:func:`mutants` turns one good .xlsx into ``count`` damaged ones, the same
ones for the same seed: single bit flips anywhere, zip headers with the
encrypted flag, an unknown compression method or false sizes, parts dropped,
renamed or swapped for a zip bomb, and sheet XML cut short, with broken
markup, impossible cell references (``r="NaN"``, row 2,000,000,000), shared
strings past the table, numbers no database holds.  :func:`special_files`
adds what is not a file at all (a named pipe, a link to ``/dev/zero``, a
folder, a file grown past the limit).

Run as a program it imports every mutant into a database and prints one JSON
line per mutant (see :func:`run`); ``tests/test_import_fuzz.py`` runs it in a
child process with bounded memory.
"""
from __future__ import annotations

import functools
import io
import json
import os
import random
import re
import shutil
import signal
import struct
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Values a cell reference or a row number is replaced with.
BAD_REFS = ["NaN", "2000000000", "A2000000000", "A1048577", "XFD1", "ZZZZ1", "-1", "", "A0", "1e20", "A1:B2", "١٢"]
#: Values a cell's stored value is replaced with.
BAD_VALUES = ["99999999", "-5", "1e400", "NaN", "100000000000000000000", "abc", "", "-1e308", "2958466", "1.5"]
#: Cell types a cell's ``t`` is replaced with.
BAD_TYPES = ["n", "b", "e", "d", "x", "inlineStr", "str", "s"]
#: Text inserted at a random place of an XML part.
JUNK = ["<", "&", "&bogus;", "]]>", "<x>", "</row>", "\x00", "<c r=\"A1\"><v>1</v></c>",
        "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>", "\u202e", "\ufffe"]


@dataclass
class Mutant:
    name: str
    kind: str
    data: bytes


def _parts(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i, z.read(i)) for i in z.infolist()]


def _rezip(parts: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts:
            z.writestr(name, body)
    return out.getvalue()


def with_shared_strings(data: bytes) -> bytes:
    """The same workbook with its text in a shared-string table, as Excel and LibreOffice save it.

    openpyxl writes text inline; a shared string is a number indexing a table,
    which a damaged file can make point past the table.
    """
    parts = [(i.filename, body) for i, body in _parts(data)]
    table: list[str] = []
    index: dict[str, int] = {}

    def share(m: re.Match) -> str:
        text = m.group(2)
        if text not in index:
            index[text] = len(table)
            table.append(text)
        return f'<c r="{m.group(1)}" t="s"><v>{index[text]}</v></c>'

    inline = re.compile(r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', re.S)
    out = []
    for name, body in parts:
        if name.startswith("xl/worksheets/"):
            body = inline.sub(share, body.decode()).encode()
        elif name == "[Content_Types].xml":
            body = body.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        elif name == "xl/_rels/workbook.xml.rels":
            body = body.replace(b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/'
                                b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        out.append((name, body))
    items = "".join(f"<si><t>{t}</t></si>" for t in table)
    out.append(("xl/sharedStrings.xml", (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(table)}" uniqueCount="{len(table)}">{items}</sst>').encode()))
    return _rezip(out)


def _bitflip(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    pos = rng.randrange(len(data))
    bit = rng.randrange(8)
    b = bytearray(data)
    b[pos] ^= 1 << bit
    return f"bit {pos}.{bit}", bytes(b)


def _headers(data: bytes) -> list[int]:
    """Offsets of every local file header and central directory entry."""
    return [m.start() for m in re.finditer(rb"PK\x03\x04|PK\x01\x02", data)]


def _header_field(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    at = rng.choice(_headers(data))
    central = data[at:at + 4] == b"PK\x01\x02"
    # (offset in the record, format, values) of the general flags, the method, the CRC and sizes
    fields = {
        "flags": (8 if central else 6, "<H", [0x1, 0x41, 0x8, 0xFFFF]),
        "method": (10 if central else 8, "<H", [1, 6, 9, 12, 14, 99, 0xFFFF]),
        "crc": (16 if central else 14, "<I", [0, 0xDEADBEEF]),
        "csize": (20 if central else 18, "<I", [0, 1, 0x7FFFFFFF, 0xFFFFFFFF]),
        "usize": (24 if central else 22, "<I", [0, 1, 10, 0x7FFFFFFF, 0xFFFFFFFF]),
    }
    name = rng.choice(sorted(fields))
    off, fmt, values = fields[name]
    value = rng.choice(values)
    b = bytearray(data)
    old = struct.unpack_from(fmt, b, at + off)[0]
    if name == "flags":
        value |= old
    struct.pack_into(fmt, b, at + off, value)
    return f"{'central' if central else 'local'}@{at} {name}={value:#x}", bytes(b)


def _xml(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    parts = [(i.filename, body) for i, body in _parts(data)]
    xml_parts = [k for k, (n, _) in enumerate(parts) if n.endswith((".xml", ".rels"))]
    sheets = [k for k in xml_parts if parts[k][0].startswith("xl/worksheets/") or "sharedStrings" in parts[k][0]]
    k = rng.choice(sheets if rng.random() < 0.7 else xml_parts)
    name, body = parts[k]
    text = body.decode("utf-8")
    op = rng.choice(["ref", "row", "value", "type", "truncate", "delete", "junk", "duplicate"])
    if op == "ref":
        spots = [m for m in re.finditer(r'<c r="([^"]*)"', text)]
        if spots:
            m = rng.choice(spots)
            new = rng.choice(BAD_REFS)
            text = text[:m.start(1)] + new + text[m.end(1):]
            what = f"cell r={new!r}"
        else:
            op = "junk"
    if op == "row":
        spots = [m for m in re.finditer(r'<row r="([^"]*)"', text)]
        if spots:
            m = rng.choice(spots)
            new = rng.choice(BAD_REFS[:8] + ["1048576", "1000000", "3"])
            text = text[:m.start(1)] + new + text[m.end(1):]
            what = f"row r={new!r}"
        else:
            op = "junk"
    if op == "value":
        spots = [m for m in re.finditer(r"<v>([^<]*)</v>", text)]
        if spots:
            m = rng.choice(spots)
            new = rng.choice(BAD_VALUES)
            text = text[:m.start(1)] + new + text[m.end(1):]
            what = f"value {new!r}"
        else:
            op = "junk"
    if op == "type":
        spots = [m for m in re.finditer(r'<c r="[^"]*"( t="[^"]*")?', text)]
        if spots:
            m = rng.choice(spots)
            new = f' t="{rng.choice(BAD_TYPES)}"'
            if m.group(1):
                text = text[:m.start(1)] + new + text[m.end(1):]
            else:
                text = text[:m.end()] + new + text[m.end():]
            what = f"type{new}"
        else:
            op = "junk"
    if op == "truncate":
        cut = rng.randrange(len(text))
        text = text[:cut]
        what = f"cut at {cut}"
    elif op == "delete":
        at = rng.randrange(len(text))
        n = rng.randint(1, 40)
        text = text[:at] + text[at + n:]
        what = f"deleted {n} at {at}"
    elif op == "junk":
        at = rng.randrange(len(text))
        junk = rng.choice(JUNK)
        text = text[:at] + junk + text[at:]
        what = f"junk {junk[:12]!r} at {at}"
    elif op == "duplicate":
        rows = [m for m in re.finditer(r"<row [^>]*>.*?</row>", text, re.S)]
        if rows:
            m = rng.choice(rows)
            text = text[:m.end()] + m.group(0) + text[m.end():]
            what = "row repeated"
        else:
            text = text + text
            what = "doubled"
    parts[k] = (name, text.encode("utf-8"))
    return f"{name}: {what}", _rezip(parts)


def _structure(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    parts = [(i.filename, body) for i, body in _parts(data)]
    op = rng.choice(["drop", "rename", "empty", "bomb", "false-size-bomb", "swap"])
    k = rng.randrange(len(parts))
    name = parts[k][0]
    if op in ("bomb", "false-size-bomb"):
        k = next(j for j, (n, _) in enumerate(parts) if n.startswith("xl/worksheets/"))  # one made per kind
        return f"{parts[k][0]}: {op}", _bomb(data, op, k)
    if op == "drop":
        del parts[k]
    elif op == "rename":
        parts[k] = (name + ".old", parts[k][1])
    elif op == "empty":
        parts[k] = (name, b"")
    elif op == "swap":
        j = rng.randrange(len(parts))
        parts[k], parts[j] = (name, parts[j][1]), (parts[j][0], parts[k][1])
        name = f"{name}<->{parts[j][0]}"
    return f"{name}: {op}", _rezip(parts)


_BOMB = 210 * 1024 * 1024  # just past the 200 MB the import unpacks at most


@functools.lru_cache(maxsize=64)
def _bomb(data: bytes, op: str, k: int) -> bytes:
    """Part ``k`` grows by 210 MB of spaces once unpacked; with ``false-size-bomb`` its headers say 1 KB.

    Written a megabyte at a time, so making it never holds it; made once per part.
    """
    parts = [(i.filename, body) for i, body in _parts(data)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for j, (name, body) in enumerate(parts):
            if j != k:
                z.writestr(name, body)
                continue
            with z.open(name, "w", force_zip64=True) as fh:
                fh.write(body)
                block = b" " * (1 << 20)
                for _ in range(_BOMB // len(block)):
                    fh.write(block)
    raw = bytearray(out.getvalue())
    if op == "false-size-bomb":
        encoded = parts[k][0].encode()
        for m in re.finditer(rb"PK\x03\x04|PK\x01\x02", bytes(raw)):
            at = m.start()
            central = raw[at:at + 4] == b"PK\x01\x02"
            name_at = at + (46 if central else 30)
            if bytes(raw[name_at:name_at + len(encoded)]) == encoded:
                struct.pack_into("<I", raw, at + (24 if central else 22), 1024)
                # zip64 extra field: the real sizes live there; make them lie too
                extra_at = name_at + len(encoded)
                if raw[extra_at:extra_at + 2] == b"\x01\x00":
                    struct.pack_into("<Q", raw, extra_at + 4, 1024)
    return bytes(raw)


_KINDS = [("bitflip", 0.35, _bitflip), ("header", 0.15, _header_field), ("xml", 0.42, _xml), ("structure", 0.08, _structure)]


def mutants(base: bytes, count: int, seed: int = 0) -> Iterator[Mutant]:
    """``count`` damaged copies of ``base``; the same ones for the same ``seed``."""
    rng = random.Random(seed)
    for n in range(count):
        kind, _share, make = rng.choices(_KINDS, weights=[k[1] for k in _KINDS])[0]
        local = random.Random(rng.getrandbits(64))
        what, data = make(base, local)
        yield Mutant(f"{n:05d} {kind} {what}", kind, data)


def special_files(folder: Path, base: bytes) -> list[tuple[str, Path]]:
    """What is given as the file but is no workbook to read: each refused before it is read."""
    folder.mkdir(parents=True, exist_ok=True)
    fifo = folder / "pipe.xlsx"
    os.mkfifo(fifo)
    zero = folder / "zero.xlsx"
    zero.symlink_to("/dev/zero")
    empty = folder / "empty.xlsx"
    empty.write_bytes(b"")
    directory = folder / "folder.xlsx"
    directory.mkdir()
    sparse = folder / "sparse.xlsx"
    with sparse.open("wb") as fh:
        fh.write(base)
        fh.truncate(3 * 1024 ** 3)  # 3 GB that take no disk
    return [("named pipe", fifo), ("link to /dev/zero", zero), ("empty", empty),
            ("folder", directory), ("3 GB sparse file", sparse)]


# --------------------------------------------------------------------------- the child process

#: Words of Python's exception names that must never reach the person.
ENGLISH = re.compile(r"Traceback|Error\b|Exception|\b(?:Bad|Unable|invalid|not well-formed)\b", re.IGNORECASE)


def run(workdir: Path, count: int, seed: int, timeout: int = 30) -> None:
    """Import each mutant into a copy of a seeded database; one JSON line per mutant on stdout.

    The line: ``name``, ``kind``, ``exit``, ``english`` (English exception text in what
    the person reads), ``changed`` (a refused import changed the database file),
    ``seconds``; a mutant still running after ``timeout`` seconds ends as exit ``"hung"``.
    """
    import contextlib
    import hashlib
    import time

    from import_books import AGENCY_CODE, write_book
    from import_books import seed as seed_db

    from workbench.cli import main
    from workbench.model.framework import load_default_framework
    from workbench.model.store import open_store

    workdir.mkdir(parents=True, exist_ok=True)
    pristine = workdir / "pristine.sqlite"
    store = open_store(pristine, actor="fuzz")
    seed_db(store, load_default_framework())
    store.close()
    good = write_book(workdir / "good.xlsx")
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["import", str(pristine), str(good), "--agency", AGENCY_CODE]) == 0
    base = with_shared_strings(good.read_bytes())
    assert b"sharedStrings" in base and b"inlineStr" not in base
    db = workdir / "db.sqlite"
    shutil.copy(pristine, db)

    def digest() -> str:
        return hashlib.sha256(db.read_bytes()).hexdigest()

    def alarm(_signum, _frame):
        raise TimeoutError

    signal.signal(signal.SIGALRM, alarm)
    target = workdir / "mutant.xlsx"
    cases: list[tuple[str, str, Path]] = [(f"special {n}", "special", p) for n, p in special_files(workdir / "special", base)]
    generated = mutants(base, count, seed)

    def each():
        yield from cases
        for m in generated:
            target.write_bytes(m.data)
            yield m.name, m.kind, target

    before = digest()
    for name, kind, path in each():
        out, err = io.StringIO(), io.StringIO()
        started = time.monotonic()
        signal.alarm(timeout)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["import", str(db), str(path), "--agency", AGENCY_CODE, "--json"])
        except TimeoutError:
            code = "hung"
        except BaseException as exc:  # noqa: BLE001 - what escapes main() is the failure being counted
            code = f"raised {type(exc).__name__}"
        finally:
            signal.alarm(0)
        seconds = time.monotonic() - started
        text = out.getvalue() + err.getvalue()
        messages = text
        with contextlib.suppress(ValueError):
            messages = " ".join(e["message"] for e in json.loads(out.getvalue()).get("errors", []))
        after = digest()
        line = {"name": name, "kind": kind, "exit": code, "english": bool(ENGLISH.search(messages)),
                "changed": code != 0 and after != before, "seconds": round(seconds, 3)}
        if code not in (0, 2) or line["english"] or line["changed"]:
            line["output"] = text[-1500:]
        print(json.dumps(line, ensure_ascii=False), flush=True)
        if code == 0 and after != before:
            shutil.copy(pristine, db)  # an accepted mutant changed the data: start the next from the same state
            for companion in ("-wal", "-shm"):
                Path(f"{db}{companion}").unlink(missing_ok=True)
    import resource

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mb": round(peak_mb)}), flush=True)


if __name__ == "__main__":
    # python tests/workbook_mutants.py WORKDIR COUNT SEED [MEMORY_LIMIT_MB]
    if len(sys.argv) > 4:
        import resource

        limit = int(sys.argv[4]) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    run(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
