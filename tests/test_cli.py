"""The headless command line, run as a user runs it: ``python -m workbench ...`` in a subprocess."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

PERSIAN = re.compile(r"[\u0600-\u06FF]")


def run(*args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *map(str, args)], capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    result = run("demo", path)
    assert result.returncode == 0, result.stderr
    assert str(path) in result.stdout and PERSIAN.search(result.stdout)
    return path


@pytest.fixture(scope="module")
def cards(demo_db):
    result = run("score", demo_db, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_score_json_shape(cards):
    assert isinstance(cards, list) and len(cards) == 12
    for card in cards:
        # The fields and the README's (status, evaluator, visit_date), and nothing else.
        assert set(card) == {
            "agency_code", "agency_name", "status", "evaluator", "visit_date", "total_percent", "band", "indicators"
        }
        assert card["visit_date"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", card["visit_date"])
        assert PERSIAN.search(card["agency_name"])
        assert list(card["indicators"]) == [str(n) for n in range(1, 12)]
        for node in card["indicators"].values():
            assert set(node) == {"earned", "possible", "applicable"}
            assert 0 <= node["earned"] <= node["possible"] + 1e-9
            if not node["applicable"]:
                assert node["possible"] == 0


def test_total_percent_agrees_with_the_indicators(cards):
    scored = [c for c in cards if c["total_percent"] is not None]
    assert len(scored) >= 6
    for card in scored:
        earned = sum(n["earned"] for n in card["indicators"].values())
        possible = sum(n["possible"] for n in card["indicators"].values())
        assert card["total_percent"] == pytest.approx(earned / possible * 100, abs=0.01)
        assert card["band"]


def test_nothing_scored_is_null(cards):
    empty = [c for c in cards if c["total_percent"] is None]
    assert empty, "the demo has a draft with nothing entered"
    assert all(c["band"] is None and c["status"] == "draft" for c in empty)


def test_every_state_and_enough_final(cards):
    statuses = [c["status"] for c in cards]
    assert {"draft", "complete", "final"} <= set(statuses)
    assert statuses.count("final") >= 6


def test_agency_filter(demo_db, cards):
    code = cards[3]["agency_code"]
    result = run("score", demo_db, "--json", "--agency", code)
    assert result.returncode == 0, result.stderr
    only = json.loads(result.stdout)
    assert [c["agency_code"] for c in only] == [code]
    assert only[0] == cards[3]


def test_agency_code_typed_with_persian_digits(demo_db, cards):
    code = cards[0]["agency_code"]
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    result = run("score", demo_db, "--json", "--agency", persian)
    assert result.returncode == 0, result.stderr
    assert [c["agency_code"] for c in json.loads(result.stdout)] == [code]


def test_text_score_card(demo_db):
    result = run("score", demo_db)
    assert result.returncode == 0, result.stderr
    assert "دورهٔ ۱۴۰۳" in result.stdout and "شاخص ۱۱:" in result.stdout
    assert "امتیاز کل" in result.stdout


def test_text_score_card_does_not_show_nothing_entered_as_zero(demo_db, cards):
    empty = next(c for c in cards if c["total_percent"] is None)
    result = run("score", demo_db, "--agency", empty["agency_code"])
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip().startswith("شاخص ")]
    assert len(lines) == 11 and all("بی‌پاسخ" in line or "عدم مصداق" in line for line in lines), lines


def _refused(result: subprocess.CompletedProcess, *named: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert PERSIAN.search(result.stderr)
    assert "Traceback" not in result.stderr
    for text in named:
        assert text in result.stderr


def test_missing_file(tmp_path):
    path = tmp_path / "نیست.sqlite"
    _refused(run("score", path, "--json"), str(path))
    assert not path.exists()  # scoring never creates a database


def test_unknown_agency(demo_db):
    _refused(run("score", demo_db, "--json", "--agency", "9999"), "9999")


def test_unknown_round(demo_db):
    _refused(run("score", demo_db, "--round", "1399"), "1399")


def test_not_a_database(tmp_path):
    path = tmp_path / "services.xlsx"
    path.write_bytes(b"PK\x03\x04 this is a spreadsheet, not a database")
    before = path.read_bytes()
    _refused(run("score", path, "--json"), str(path))
    assert path.read_bytes() == before


def test_bad_arguments():
    result = run("score")
    assert result.returncode == 2 and PERSIAN.search(result.stderr)


def test_demo_refuses_an_existing_file(demo_db, tmp_path):
    path = tmp_path / "mine.sqlite"
    path.write_bytes(b"an evaluator's precious work")
    _refused(run("demo", path), str(path))
    assert path.read_bytes() == b"an evaluator's precious work"


def test_demo_options(tmp_path):
    path = tmp_path / "small.sqlite"
    result = run("demo", path, "--agencies", "7", "--seed", "5")
    assert result.returncode == 0, result.stderr
    cards = json.loads(run("score", path, "--json").stdout)
    assert len(cards) == 7
    assert [c["status"] for c in cards].count("final") == 6  # at least six final, even among seven
    _refused(run("demo", tmp_path / "none.sqlite", "--agencies", "0"), "۰")
    assert not (tmp_path / "none.sqlite").exists()


# Every command that reads a database, given something that is not one.
_DB_COMMANDS = [
    ("score", "{db}"),
    ("score", "{db}", "--json"),
    ("weights", "{db}"),
    ("template", "{out}/t.xlsx", "--agency", "1", "--db", "{db}"),
    ("report", "tables45", "{db}", "--out", "{out}/t.xlsx"),
    ("report", "ranking", "{db}", "--out", "{out}/r"),
    ("report", "summary", "{db}", "--agency", "1", "--out", "{out}/s.pdf"),
    ("report", "summary", "{db}", "--all", "--out", "{out}/s"),
]


@pytest.mark.parametrize("kind", ["missing", "folder", "text"])
@pytest.mark.parametrize("command", _DB_COMMANDS, ids=lambda c: "-".join(a for a in c if "{" not in a))
def test_every_command_refuses_what_is_not_a_database(tmp_path, capsys, command, kind):
    from workbench.cli import main

    db = tmp_path / "db.sqlite"
    if kind == "folder":
        db.mkdir()
    elif kind == "text":
        db.write_text("نام، کد\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    args = [a.format(db=db, out=out) for a in command]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert str(db) in err and PERSIAN.search(err) and "Traceback" not in err
    expected = {"missing": "وجود ندارد", "folder": "پوشه است", "text": "پایگاه دادهٔ میز کار ارزیاب نیست"}
    assert expected[kind] in err
    assert list(out.iterdir()) == []  # nothing written
    assert not (kind == "missing" and db.exists())  # never created


def test_summary_never_replaces_a_file_that_is_not_a_pdf(demo_db, tmp_path, cards):
    notes = tmp_path / "notes.txt"
    notes.write_text("یادداشت‌های من", encoding="utf-8")
    _refused(run("report", "summary", demo_db, "--agency", cards[0]["agency_code"], "--out", notes), str(notes), ".pdf")
    assert notes.read_text(encoding="utf-8") == "یادداشت‌های من"


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    # `workbench score --json | head`: more output than a pipe holds, and the reader leaves.
    path = tmp_path / "big.sqlite"
    assert run("demo", path, "--agencies", "200").returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", "score", str(path), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout.read(10).startswith(b"[")
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 1
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_score_text_json_and_window_say_the_same_percent(demo_db, cards):
    """One rounding on every surface: the text said ۶۹٫۲٪ where the window said ۶۹٫۱٪ (rounded twice)."""
    from workbench.model.assessments import find_round, score_round
    from workbench.model.store import open_store
    from workbench.model.text import format_percent, round_percent

    store = open_store(demo_db, create=False)
    with store.session() as s:
        exact = {x.agency.code: x.card.percent for x in score_round(s, find_round(s))}
    store.close()
    text = run("score", demo_db).stdout
    for card in cards:
        percent = exact[card["agency_code"]]
        assert card["total_percent"] == round_percent(percent)
        # What the window's list, header and the printed summary show (all format_percent of the card).
        assert f"امتیاز کل: {format_percent(percent)} " in text
        if percent is not None:
            assert format_percent(card["total_percent"]) == format_percent(percent)
