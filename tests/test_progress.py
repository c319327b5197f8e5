"""The progress store: attempts survive, foreign or damaged files are refused, old stores migrate."""
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import unicodedata
from datetime import datetime, timedelta, timezone

import pytest

from drills.progress import APPLICATION_ID, SCHEMA_VERSION, DamagedStore, Store, StoreError, data_home
from drills.records import MAX_NAME_CHARS, AttemptRecord, PartRecord, learner_name

T0 = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)


def attempt(topic="matmul", level="fill-in", at=T0, ok=True, learner="ann", params=None, seconds=41.5, **kw):
    parts = (PartRecord("a", "[[1, 2]]", 1.0 if ok else 0.0, ok), PartRecord("b", "7", 1.0, True, hint=True))
    return AttemptRecord(learner=learner, topic=topic, level=level, problem_id=f"{topic}-x", seed=3,
                         parts=parts, at=at, params=params or {"A": [[1, 2]]}, seconds=seconds, **kw)


def test_attempts_come_back_as_they_were_recorded(tmp_path):
    first, second = attempt(at=T0 + timedelta(hours=1)), attempt(topic="svd", at=T0, learner="bo")
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.record(first)
        store.record(second)
        assert store.attempts() == [second, first]            # in time order, not insertion order
        assert store.attempts("ann") == [first]
        assert store.learners() == ["ann", "bo"]
        assert store.version == SCHEMA_VERSION
    raw = sqlite3.connect(tmp_path / "p.sqlite3").execute(
        "SELECT at, score, hints FROM attempts ORDER BY rowid").fetchall()
    assert raw[0] == ("2026-11-02T10:30:00.000000+00:00", 1.0, 1)        # UTC inside


def test_store_lives_in_drills_home_and_uses_wal(drills_home):
    assert data_home() == drills_home
    with Store.open() as store:
        store.record(attempt())
    assert (drills_home / "progress.sqlite3").exists()
    db = sqlite3.connect(drills_home / "progress.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


@pytest.mark.parametrize("content, message", [
    (b"my shopping list\nmilk\n", "not an SQLite file"),
    (None, "another program"),
])
def test_a_foreign_file_is_refused_and_left_untouched(tmp_path, content, message):
    path = tmp_path / "p.sqlite3"
    if content is None:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE recipes (name TEXT)")
        db.commit()
        db.close()
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    with pytest.raises(StoreError, match=message):
        Store.open(path)
    assert path.read_bytes() == before


def test_a_store_from_a_newer_drills_is_refused(tmp_path):
    path = tmp_path / "p.sqlite3"
    Store.open(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StoreError, match="newer drills"):
        Store.open(path)


def scribbled_store(tmp_path, start: int, end: int):
    """A store of 200 attempts, checkpointed into its file, with bytes start..end overwritten."""
    path = tmp_path / "p.sqlite3"
    with Store.open(path) as store:
        store.add([attempt(at=T0 + timedelta(minutes=i)) for i in range(200)])
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    data = bytearray(path.read_bytes())
    data[start:end] = b"\xff" * (end - start)
    path.write_bytes(bytes(data))
    return path


def test_a_damaged_store_gives_one_clear_line(tmp_path):
    path = scribbled_store(tmp_path, 4096 + 8, 4096 * 3)      # the first data pages
    with pytest.raises(StoreError, match="damaged") as err:
        with Store.open(path) as store:
            store.attempts()
    assert "\n" not in str(err.value)
    # in that order: what can be read saved first, then a fresh store made of it
    assert re.search(r"drills progress --export backup.json`, move the store aside, then `drills progress "
                     r"--import backup.json", str(err.value))
    with pytest.raises(StoreError, match="none of its 200 attempts can be read") as err:
        with Store.open(path) as store:
            store.export()                      # the table's root page: nothing to save
    assert "move it aside, then `drills progress --import` a backup" in str(err.value)


def set_schema(path, change) -> str:
    """Rewrite the attempts table's CREATE statement in place; the one it was."""
    db = sqlite3.connect(path, isolation_level=None)
    schema = db.execute("SELECT sql FROM sqlite_master WHERE name = 'attempts'").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    db.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'attempts'", (change(schema),))
    db.close()
    return schema


def damaged_store(path, change: str, rows=(3,), count=10) -> list[AttemptRecord]:
    """A store of `count` attempts whose `rows` were then changed by an SQL `change` (SET ...),
    as a hand edit or a half-restored file leaves them; NOT NULL is lifted for the change, as a
    torn write ignores it. The attempts left whole."""
    records = [attempt(at=T0 + timedelta(minutes=i), learner="ann" if i % 2 else "bo") for i in range(count)]
    with Store.open(path) as store:
        store.add(records)
    schema = set_schema(path, lambda sql: sql.replace("NOT NULL", ""))
    with sqlite3.connect(path) as db:
        db.execute(f"UPDATE attempts {change} WHERE rowid IN ({', '.join(map(str, rows))})")
    db.close()
    set_schema(path, lambda sql: schema)
    return [r for i, r in enumerate(records, 1) if i not in rows]


@pytest.mark.parametrize("change, what", [
    ("SET params = '{bad'", "its params are not JSON"),
    ("SET parts = '[{\"key\": \"a\"'", "its parts are not JSON"),
    ("SET parts = '[]'", "parts must list at least one part"),
    ("SET at = 'yesterday'", "at 'yesterday' is not a date and time"),
    ("SET learner = NULL, at = NULL, topic = NULL, level = NULL", r"empty \(NULL\): learner, at, topic, …"),
    ("SET seed = 'x'", "seed 'x' is not a whole number"),
])
def test_an_attempt_that_cannot_be_read_is_named_and_the_rest_is_exported(tmp_path, change, what):
    path = tmp_path / "p.sqlite3"
    whole = damaged_store(path, change)
    with Store.open(path) as store:
        with pytest.raises(DamagedStore) as err:
            store.attempts()
        assert re.search(f"is damaged: attempt [0-9a-f]{{8}} \\(row 3\\): {what}", str(err.value))
        assert "\n" not in str(err.value) and "drills progress --export backup.json" in str(err.value)
        data, damaged = store.export()
        assert [d.rowid for d in damaged] == [3] and re.search(what, damaged[0].what)
    with Store.open(tmp_path / "fresh.sqlite3") as fresh:        # the export is a backup that imports
        assert fresh.import_(json.loads(json.dumps(data)))[0] == len(whole) and fresh.attempts() == whole


def test_practice_can_read_past_a_damaged_attempt_and_is_told_once(tmp_path):
    path = tmp_path / "p.sqlite3"
    whole = damaged_store(path, "SET params = '{bad'", rows=(2, 3))
    told = []
    with Store.open(path) as store:
        store.on_damage = told.append
        assert store.attempts() == whole and store.attempts("bo") == [a for a in whole if a.learner == "bo"]
        store.record(attempt(at=T0 + timedelta(days=1)))                 # new attempts are kept as before
        assert len(store.attempts()) == len(whole) + 1
    assert len(told) == 1 and "row 2" in str(told[0]) and "(and 1 other attempt)" in str(told[0])


def test_an_export_of_a_store_with_damaged_pages_saves_every_row_sqlite_still_reaches(tmp_path):
    path = scribbled_store(tmp_path, 4096 * 7, 4096 * 8)      # one leaf page of the attempts
    with Store.open(path) as store:
        with pytest.raises(StoreError, match="malformed"):
            store.attempts()
        exported, damaged = store.export()
    assert 150 < len(exported["attempts"]) < 200 and len(exported["attempts"]) + len(damaged) == 200
    assert damaged[0].what == "its page cannot be read"
    assert [a["at"] for a in exported["attempts"]] == sorted(a["at"] for a in exported["attempts"])


def test_a_name_nobody_has_is_refused_with_the_names_there_are(tmp_path):
    with Store.open(tmp_path / "p.sqlite3") as store:
        with pytest.raises(StoreError, match="no attempts of 'ann' .*: it has none yet"):
            store.check_learner("ann")
        store.add([attempt(learner=name, id=name) for name in ("Ada Lovelace", "Bo", "ann")])
        store.check_learner("ann")
        with pytest.raises(StoreError, match="did you mean 'Ada Lovelace'\\? It has 3 learners: Ada Lovelace, Bo, ann"):
            store.check_learner("ada lovelac")
        with pytest.raises(StoreError, match="no attempts of 'zed' .*; it has 3 learners: Ada Lovelace, Bo, ann$"):
            store.check_learner("zed")


def test_opening_an_up_to_date_store_writes_nothing(tmp_path, monkeypatch):
    """Every start opens the store: a write there (the schema check) cost a commit and four disk
    syncs, some 30 ms before the first problem showed."""
    path = tmp_path / "p.sqlite3"
    Store.open(path).close()
    statements = []
    connect = sqlite3.connect

    def traced(*args, **kwargs):
        db = connect(*args, **kwargs)
        db.set_trace_callback(statements.append)
        return db
    monkeypatch.setattr(sqlite3, "connect", traced)
    Store.open(path).close()
    assert statements and not [s for s in statements if s.split()[0].upper() in {"BEGIN", "COMMIT", "INSERT", "UPDATE"}
                               or "application_id =" in s or "user_version =" in s]
    Store.open(tmp_path / "new.sqlite3").close()                       # a new store is still set up
    assert any(s.startswith("CREATE TABLE") for s in statements)


def test_a_version_1_store_migrates_and_keeps_its_attempts(tmp_path):
    path = tmp_path / "p.sqlite3"
    Store.open(path, migrate_to=1).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    db.execute("INSERT INTO attempts VALUES ('old1', 'ann', '2025-01-05T10:00:00.000000+00:00', 'matmul', "
               "'fill-in', 'matmul-x', 4, '{}', ?, 1.0, 30.0, 0)",
               (json.dumps([{"key": "a", "answer": "3", "score": 1.0, "passed": True}]),))
    db.commit()
    db.close()
    with Store.open(path) as store:
        assert store.version == SCHEMA_VERSION
        [old] = store.attempts("ann")
    assert (old.id, old.source, old.seed, old.parts[0].answer) == ("old1", "practice", 4, "3")


def test_export_then_import_round_trips_and_skips_duplicates(tmp_path):
    records = [attempt(at=T0 + timedelta(days=i), learner=name) for i, name in enumerate(["ann", "bo", "ann"])]
    with Store.open(tmp_path / "a.sqlite3") as store:
        store.add(records)
        exported = json.loads(json.dumps(store.export()[0]))
    with Store.open(tmp_path / "b.sqlite3") as other:
        assert other.import_(exported) == (3, 0, ["ann", "bo"])
        assert other.import_(exported) == (0, 3, ["ann", "bo"])
        assert other.attempts() == records


def export_of(part=None, **changes) -> dict:
    """An export of one attempt, with some of its fields (or of its first part's) changed."""
    d = {**attempt().to_dict(), **changes}
    if part:
        d["parts"] = [{**d["parts"][0], **part}, *d["parts"][1:]]
    return {"format": "drills-progress", "attempts": [attempt(at=T0 - timedelta(days=1)).to_dict(), d]}


@pytest.mark.parametrize("data, message", [
    ([], "not a drills progress export"),
    ({"format": "drills-progress"}, "no list of attempts"),
    (export_of(id=None), "attempt 2 .*id must be text"),
    ({"format": "drills-progress", "attempts": [{"id": "x"}]}, "attempt 1 .*missing"),
    (export_of(at="2026-01-01T10:00"), "attempt 2 .*timezone"),
    (export_of(at="9999-12-31T23:00:00-05:00"), "attempt 2 .*out of range"),
    (export_of(at="0001-01-01T00:30:00+01:00"), "attempt 2 .*out of range"),
    (export_of(at="2090-01-01T00:00:00+00:00"), "attempt 2 .*in the future"),
    (export_of(seed=2**63), "attempt 2 .*seed"),
    (export_of(seed=1.7), "attempt 2 .*seed"),
    (export_of(seed=True), "attempt 2 .*seed"),
    (export_of(learner=None), "attempt 2 .*learner"),
    (export_of(learner="\ud800"), "attempt 2 .*surrogate"),
    (export_of(learner="\x1b[2J\x1b[31mevil"), "attempt 2 .*control character"),
    (export_of(learner=" \n "), "attempt 2 .*empty"),
    (export_of(learner="a" * (MAX_NAME_CHARS + 1)), f"attempt 2 .*at most {MAX_NAME_CHARS}"),
    (export_of(part={"score": float("nan")}), "attempt 2 .*NaN"),
    (export_of(part={"score": 1.5}), "attempt 2 .*score"),
    (export_of(part={"passed": "false"}), "attempt 2 .*passed must be true or false"),
    (export_of(part={"hint": 1}), "attempt 2 .*hint must be true or false"),
    (export_of(parts=[]), "attempt 2 .*parts must list at least one part"),
    (export_of(at="yesterday"), "attempt 2 .*at 'yesterday' is not a date and time"),
    (export_of(seconds=float("inf")), "attempt 2 .*infinite"),
    (export_of(seconds=-5), "attempt 2 .*seconds"),
    (export_of(params=[["A", 1]]), "attempt 2 .*params"),
    (export_of(params={"A": float("nan")}), "attempt 2 .*NaN"),
    (export_of(source={"x": 1}), "attempt 2 .*source"),
    ({**export_of(), "schema": SCHEMA_VERSION + 1}, "newer drills"),
])
def test_a_bad_import_says_what_is_wrong_and_adds_nothing(tmp_path, data, message):
    with Store.open(tmp_path / "p.sqlite3") as store:
        with pytest.raises(StoreError, match=message) as err:
            store.import_(data)
        assert store.attempts() == [] and "\n" not in str(err.value)


def test_an_export_of_every_kind_of_value_imports_as_it_was(tmp_path):
    odd = attempt(seconds=None, id="odd").to_dict() | {"seed": None, "source": "check-code"}
    data = {**export_of(), "attempts": export_of()["attempts"] + [odd]}
    with Store.open(tmp_path / "p.sqlite3") as store:
        assert store.import_(data) == (3, 0, ["ann"])
        assert store.export()[0]["attempts"] == sorted(data["attempts"], key=lambda a: a["at"])


WRITER = textwrap.dedent("""
    import sys
    from datetime import datetime, timezone
    from drills.progress import Store
    from drills.records import AttemptRecord, PartRecord
    name, count = sys.argv[1], int(sys.argv[2])
    with Store.open(sys.argv[3]) as store:
        i = 0
        while count < 0 or i < count:
            a = AttemptRecord(learner=name, topic="matmul", level="fill-in", problem_id=f"p{i}", seed=i,
                              parts=(PartRecord("a", str(i), 1.0, True),))
            store.record(a)
            print(a.id, flush=True)
            i += 1
""")


def test_two_writers_at_once_lose_no_attempt(tmp_path):
    path = tmp_path / "p.sqlite3"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, name, "300", str(path)],
                                stdout=subprocess.PIPE, text=True) for name in ("ann", "bo")]
    ids = set()
    for w in writers:
        out, _ = w.communicate(timeout=120)
        assert w.returncode == 0
        ids |= set(out.split())
    assert len(ids) == 600
    with Store.open(path) as store:
        assert {a.id for a in store.attempts()} == ids
        assert store.integrity() == "ok"


@pytest.mark.parametrize("after", [1, 37, 150])
def test_kill_9_mid_run_keeps_every_committed_attempt(tmp_path, after):
    path = tmp_path / "p.sqlite3"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, "ann", "-1", str(path)],
                              stdout=subprocess.PIPE, text=True)
    committed = [writer.stdout.readline().strip() for _ in range(after)]
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    committed += writer.stdout.read().split()              # printed after its commit, before the kill
    with Store.open(path) as store:
        assert store.integrity() == "ok"
        stored = {a.id for a in store.attempts()}
    assert set(committed) <= stored and len(stored) - len(committed) <= 1


def test_a_full_disk_says_so_and_the_store_stays_usable(tmp_path):
    big = attempt(params={"A": "x" * 100_000})
    with Store.open(tmp_path / "p.sqlite3") as store:
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")       # as a full disk: SQLITE_FULL
        with pytest.raises(StoreError, match="disk is full: this answer was not saved") as err:
            store.record(big)
        assert "\n" not in str(err.value) and store.attempts() == []
        store._db.execute(f"PRAGMA max_page_count = {2**30}")
        store.record(big)
        assert store.attempts() == [big] and store.integrity() == "ok"
        store._db.execute(f"PRAGMA max_page_count = {store._db.execute('PRAGMA page_count').fetchone()[0]}")
        store.cache_schedule("ann", "rules", T0, 1, {"big": "x" * 100_000})   # only a shortcut: skipped
        assert store.cached_schedule("ann") is None


def test_a_store_locked_by_another_program_says_the_answer_was_not_saved(tmp_path):
    import sqlite3

    path = tmp_path / "p.sqlite3"
    with Store.open(path) as store:
        store._db.execute("PRAGMA busy_timeout = 50")              # not the 30 s a learner waits
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreError, match="kept the progress store .* locked .*: this answer was not saved"):
            store.record(attempt())
        other.execute("ROLLBACK")
        other.close()
        store.record(attempt())
        assert len(store.attempts()) == 1


def test_learner_names_are_kept_in_one_form():
    nfd = unicodedata.normalize("NFD", "José")
    assert nfd != "José" and learner_name(f"  {nfd}\t") == "José" == unicodedata.normalize("NFC", nfd)
    assert learner_name("李雷") == "李雷" and learner_name("a" * MAX_NAME_CHARS) == "a" * MAX_NAME_CHARS
    too_long = "a" * (MAX_NAME_CHARS + 1)
    for bad in ("", "   ", "red\x1b[31m", "two\nlines", "nul\x00", "\x85", "line\u2028sep", too_long):
        with pytest.raises(ValueError):
            learner_name(bad)


def test_an_import_keeps_names_in_one_form(tmp_path):
    nfd = unicodedata.normalize("NFD", " José ")
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.import_(export_of(learner=nfd))
        assert store.learners() == ["José", "ann"]


def test_an_exported_attempt_has_every_field_and_reads_back():
    from dataclasses import fields

    record = AttemptRecord("ann", "matmul", "fill-in", "p", 7, (PartRecord("a", "[1]", 0.5, True, True),),
                           params={"A": [[1, 2]]}, seconds=3.5, source="sheet")
    exported = record.to_dict()
    assert list(exported) == [f.name for f in fields(AttemptRecord)]
    assert list(exported["parts"][0]) == [f.name for f in fields(PartRecord)]
    assert AttemptRecord.from_dict(json.loads(json.dumps(exported))) == record
