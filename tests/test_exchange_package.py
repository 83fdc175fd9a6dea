"""The package file: round trip byte for byte, deterministic export, and refusal of bad files."""
from __future__ import annotations

import hashlib
import json
import zipfile

import pytest
from exchange_fixture import codes, do_assign, do_export, do_receive, evaluator_db, set_answer
from sqlalchemy import select

from workbench.exchange import records
from workbench.exchange.package import PackageRefused, open_package
from workbench.model.evidence_files import read_stream
from workbench.model.schema import Blob, Round
from workbench.model.store import open_store


def _snapshot(db, agency_codes):
    store = open_store(db)
    try:
        with store.session() as s:
            rnd = s.scalars(select(Round)).one()
            recs = records.read_agencies(s, rnd.uuid, rnd.year, agency_codes)
            flat = {k: (r.table, r.values) for code in agency_codes for k, r in recs[code].items()}
            files = {b.sha256: hashlib.sha256(b"".join(read_stream(s, b.sha256))).hexdigest() for b in s.scalars(select(Blob))}
            return flat, files
    finally:
        store.close()


def test_round_trip_keeps_every_record_and_file_byte_for_byte(tmp_path, master):
    chosen = codes(master)[:2]
    db = evaluator_db(tmp_path, master, "مریم", chosen)
    out = do_export(db, tmp_path / "p.wbp")
    assert out.records > 100 and out.evidence_files >= 1
    sent, sent_files = _snapshot(master, chosen)
    got, got_files = _snapshot(db, chosen)
    assert got == sent
    # Every evidence file the records name arrived, and its bytes hash to its name.
    named = {v["blob_sha256"] for t, v in got.values() if t == "evidence" and v["blob_sha256"]}
    assert named and all(got_files[h] == h == sent_files[h] for h in named)
    with open_package(tmp_path / "p.wbp", "submission") as pkg:
        carried = {line["k"]: (line["t"], line["v"]) for line in pkg.lines("records.jsonl")}
        assert carried == sent
        for sha, _size in pkg.blobs():
            assert hashlib.sha256(b"".join(pkg.blob_chunks(sha))).hexdigest() == sha


def test_exporting_twice_unchanged_gives_the_same_bytes_and_a_change_a_higher_sequence(tmp_path, master):
    chosen = codes(master)[:1]
    db = evaluator_db(tmp_path, master, "مریم", chosen)
    first = do_export(db, tmp_path / "a.wbp")
    second = do_export(db, tmp_path / "b.wbp")
    assert second.unchanged and second.sequence == first.sequence
    assert (tmp_path / "a.wbp").read_bytes() == (tmp_path / "b.wbp").read_bytes()
    set_answer(db, chosen[0], "1.1", note="یادداشت تازه")
    third = do_export(db, tmp_path / "c.wbp")
    assert not third.unchanged and third.sequence == first.sequence + 1


def test_receiving_twice_changes_nothing_and_keeps_the_evaluators_work(tmp_path, master):
    chosen = codes(master)[:1]
    assignment = do_assign(master, "مریم", chosen, tmp_path / "a.wbp")
    db = tmp_path / "e.sqlite"
    first = do_receive(assignment, db)
    assert first.added > 0 and not first.already_received
    assert do_receive(assignment, db).already_received
    set_answer(db, chosen[0], "1.1", note="کار خود ارزیاب")
    again = do_assign(master, "مریم", chosen, tmp_path / "b.wbp")  # the same agency handed out again
    second = do_receive(again, db)
    assert second.added == 0 and second.kept == first.added
    flat, _ = _snapshot(db, chosen)
    assert any(t == "answers" and v["key"] == "1.1" and v["note"] == "کار خود ارزیاب" for t, v in flat.values())


# --------------------------------------------------------------------------- refusals


@pytest.fixture
def package(tmp_path, master):
    db = evaluator_db(tmp_path, master, "مریم", codes(master)[:1])
    set_answer(db, codes(master)[0], "1.1", note="x")  # so that the audit part is not empty
    do_export(db, tmp_path / "p.wbp")
    return tmp_path / "p.wbp"


def _flip(path, offset):
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _data_offset(path, name):
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    raw = path.read_bytes()
    header = info.header_offset
    name_len = int.from_bytes(raw[header + 26 : header + 28], "little")
    extra_len = int.from_bytes(raw[header + 28 : header + 30], "little")
    return header + 30 + name_len + extra_len, info.compress_size


def test_a_byte_flipped_in_each_part_refuses_the_package(tmp_path, package):
    with zipfile.ZipFile(package) as zf:
        names = zf.namelist()
    assert {"manifest.json", "records.jsonl", "audit.jsonl", "agencies.jsonl"} <= set(names)
    assert any(n.startswith("evidence/") for n in names)
    for name in names:
        for where in (0.0, 0.5, 0.99):
            copy = tmp_path / "flipped.wbp"
            copy.write_bytes(package.read_bytes())
            start, size = _data_offset(copy, name)
            if size == 0:
                continue
            _flip(copy, start + int(size * where))
            with pytest.raises(PackageRefused) as info:
                open_package(copy, "submission").close()
            assert "flipped.wbp" in info.value.message, name
    # … and in the zip's own headers, its directory, and the signature (the file's last bytes).
    size = package.stat().st_size
    for offset in (0, 10, 28, size - 300, size - 200, size - 100, size - 1):
        copy = tmp_path / "flipped.wbp"
        copy.write_bytes(package.read_bytes())
        _flip(copy, offset)
        with pytest.raises(PackageRefused):
            open_package(copy, "submission").close()


def test_truncated_file_and_not_a_package_are_refused_by_name(tmp_path, package):
    cut = tmp_path / "cut.wbp"
    cut.write_bytes(package.read_bytes()[: package.stat().st_size // 2])
    with pytest.raises(PackageRefused, match="ناقص یا آسیب‌دیده"):
        open_package(cut, "submission")
    text = tmp_path / "notes.wbp"
    text.write_text("سلام", encoding="utf-8")
    with pytest.raises(PackageRefused, match="بستهٔ میز کار ارزیاب نیست"):
        open_package(text, "submission")
    other_zip = tmp_path / "other.wbp"
    with zipfile.ZipFile(other_zip, "w") as zf:
        zf.writestr("word/document.xml", "<x/>")
    with pytest.raises(PackageRefused, match="بستهٔ میز کار ارزیاب نیست"):
        open_package(other_zip, "submission")
    with pytest.raises(PackageRefused, match="فایل واگذاری نیست"):
        open_package(package, "assignment")


def _rewrite(package, target, change):
    """A copy of ``package`` with entries changed by ``change(dict name -> bytes)``."""
    with zipfile.ZipFile(package) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    change(entries)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return target


def test_a_path_escaping_its_folder_is_refused(tmp_path, package):
    bad = _rewrite(package, tmp_path / "escape.wbp", lambda e: e.update({"../../etc/evil": b"x"}))
    with pytest.raises(PackageRefused, match="بیرون از پوشهٔ خود"):
        open_package(bad, "submission")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, package):
    def bomb(entries):
        manifest = json.loads(entries["manifest.json"])
        entries["records.jsonl"] = b"\n" * (64 * 1024 * 1024)
        manifest["parts"]["records.jsonl"]["size"] = 64 * 1024 * 1024
        entries["manifest.json"] = json.dumps(manifest).encode()

    bad = _rewrite(package, tmp_path / "bomb.wbp", bomb)
    assert bad.stat().st_size < 1024 * 1024
    with pytest.raises(PackageRefused, match="بمب"):
        open_package(bad, "submission")


def test_receive_refuses_a_round_of_another_framework(tmp_path, master):
    chosen = codes(master)[:1]
    assignment = do_assign(master, "مریم", chosen, tmp_path / "a.wbp")
    db = tmp_path / "e.sqlite"
    from workbench.model.assessments import create_round
    from workbench.model.framework import load_default_framework

    store = open_store(db)
    with store.session() as s:
        rnd = create_round(s, 1403, load_default_framework())
        rnd.framework_sha256 = "0" * 64  # a round of 1403 assessed with another framework text
    store.close()
    with pytest.raises(PackageRefused, match="یکی نیست"):
        do_receive(assignment, db)
    # The same framework in an empty round (what a new database is opened with) takes the
    # supervisor's round instead: tests/test_ui_receive.py.
