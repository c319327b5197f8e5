"""The SQLite store of every graded attempt, in $DRILLS_HOME.

The store is an append-only log of attempts (drills.records); skills and schedules are computed
from it (drills.schedule), so two writers never race on shared state. Beside the log it keeps
each learner's last computed schedule, a cache that is used only while it still matches the log.
WAL mode, one transaction per attempt: whatever was committed survives a crash or a kill -9 of
the writer.
"""
from __future__ import annotations

import getpass
import json
import os
import sqlite3
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple

from drills.errors import DrillsError, reason
from drills.terminal import counted

if TYPE_CHECKING:
    from drills.records import AttemptRecord

SCHEMA_VERSION = 3
CLOCK_SLACK = timedelta(hours=1)        # how far ahead of this machine's clock an imported attempt may be
APPLICATION_ID = 0x64726C73              # "drls", so a foreign SQLite file is recognised
STORE_NAME = "progress.sqlite3"
EXPORT_FORMAT = "drills-progress"
_SQLITE_MAGIC = b"SQLite format 3\x00"
MAX_NAMES_LISTED = 8                    # learners a message names before "and N more"

# MIGRATIONS[v] takes a store from version v-1 to v; each runs in one transaction.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: ("""CREATE TABLE attempts (
             id TEXT PRIMARY KEY,
             learner TEXT NOT NULL,
             at TEXT NOT NULL,
             topic TEXT NOT NULL,
             level TEXT NOT NULL,
             problem_id TEXT NOT NULL,
             seed INTEGER,
             params TEXT NOT NULL,
             parts TEXT NOT NULL,
             score REAL NOT NULL,
             seconds REAL,
             hints INTEGER NOT NULL DEFAULT 0)""",),
    2: ("ALTER TABLE attempts ADD COLUMN source TEXT NOT NULL DEFAULT 'practice'",
        "CREATE INDEX attempts_by_learner ON attempts (learner, at)"),
    3: ("""CREATE TABLE schedules (
             learner TEXT PRIMARY KEY,
             rules TEXT NOT NULL,
             upto TEXT NOT NULL,
             counted INTEGER NOT NULL,
             state TEXT NOT NULL)""",),
}
_COLUMNS = ("id", "learner", "at", "topic", "level", "problem_id", "seed", "params", "parts",
            "score", "seconds", "hints", "source")
_SELECT = f"SELECT {', '.join(_COLUMNS)}, rowid FROM attempts"       # zip(_COLUMNS, row) leaves rowid out
_NOT_NULL = ("id", "learner", "at", "topic", "level", "problem_id", "params", "parts", "source")
# 1 for a row that looks readable, in SQL: a cheap check of the rows a cached schedule covers
_SOUND = " AND ".join([f"{c} IS NOT NULL" for c in _NOT_NULL] + ["json_valid(params)", "json_valid(parts)"])
# What to do about a damaged store: export what can be read, then start afresh from that export
REPAIR = ("to keep the rest: `drills progress --export backup.json`, move the store aside, "
          "then `drills progress --import backup.json`")
FROM_BACKUP = "move it aside, then `drills progress --import` a backup"   # when nothing can be read


class StoreError(DrillsError):
    """The progress store cannot be opened, read or written; the message says why."""


class Damage(NamedTuple):
    """A stored attempt that cannot be read: its row, its id when that can be read, and why."""

    rowid: int
    id: str | None
    what: str

    def __str__(self) -> str:
        where = f"attempt {self.id[:8]} (row {self.rowid})" if self.id else f"row {self.rowid}"
        return f"{where}: {self.what}"


class DamagedStore(StoreError):
    """Attempts in the store that cannot be read (hand-edited, half restored, a torn write); the
    message names the first and says how to keep the rest."""

    def __init__(self, path: Path, damaged: list[Damage]):
        self.path, self.damaged = path, damaged
        super().__init__(f"{self.found}; {REPAIR}")

    @property
    def found(self) -> str:
        others = len(self.damaged) - 1
        return (f"the progress store {self.path} is damaged: {self.damaged[0]}"
                + (f" (and {counted(others, 'other attempt')})" if others else ""))

    def left_out(self) -> str:
        """The warning of practice, which goes on without them."""
        return f"{self.found}, left out of your schedule; {REPAIR}"


def data_home() -> Path:
    """$DRILLS_HOME, else the platform's user data folder."""
    if os.environ.get("DRILLS_HOME"):
        return Path(os.environ["DRILLS_HOME"]).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "drills"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "drills"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "drills"


def default_learner() -> str:
    try:
        return getpass.getuser()
    except Exception:                          # no user name in this environment
        return "learner"


class Store:
    """Attempts on disk. Open with `Store.open()`; use as a context manager."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self._db = connection
        # None: attempts() raises DamagedStore; else it is told once and the rest is read
        self.on_damage: Callable[[DamagedStore], None] | None = None
        self._damage_told = False

    @classmethod
    def open(cls, path: Path | None = None, *, migrate_to: int = SCHEMA_VERSION) -> Store:
        path = Path(path) if path is not None else data_home() / STORE_NAME
        _refuse_foreign_file(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"cannot open the progress store {path}: {err}") from None
        store = cls(path, db)
        with store._guard(advice=FROM_BACKUP):
            db.execute("PRAGMA busy_timeout = 30000")
            _check_identity(db, path)
            _use_wal(db)
            db.execute("PRAGMA synchronous = NORMAL")   # WAL + NORMAL: durable across process crashes
            _migrate(db, migrate_to)
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    @property
    def version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def record(self, attempt: AttemptRecord) -> None:
        """Commit one attempt, in its own transaction."""
        self.add([attempt])

    def add(self, attempts: list[AttemptRecord]) -> int:
        """Commit attempts in one transaction; those already stored (same id) are skipped."""
        rows = [_row(a) for a in attempts]
        with self._guard("this answer was not saved" if len(rows) == 1 else f"none of {len(rows)} attempts was saved"):
            self._db.execute("BEGIN IMMEDIATE")
            with _rolled_back_on_error(self._db):
                before = self._db.total_changes
                self._db.executemany(f"INSERT INTO attempts ({', '.join(_COLUMNS)}) VALUES "
                                     f"({', '.join('?' * len(_COLUMNS))}) ON CONFLICT (id) DO NOTHING", rows)
                added = self._db.total_changes - before
                self._db.execute("COMMIT")
        return added

    def attempts(self, learner: str | None = None, after: str | None = None) -> list[AttemptRecord]:
        """Attempts in the order they happened, of one learner or of all; with `after` (a time
        as stored, see `Cached.upto`) only those later than that. DamagedStore when one cannot
        be read, unless `on_damage` is set: it is told (once), and the others are returned."""
        attempts, damaged = self.readable(learner, after)
        if damaged:
            if self.on_damage is None:
                raise DamagedStore(self.path, damaged)
            if not self._damage_told:
                self._damage_told = True
                self.on_damage(DamagedStore(self.path, damaged))
        return attempts

    def readable(self, learner: str | None = None, after: str | None = None, *,
                 salvage: bool = False) -> tuple[list[AttemptRecord], list[Damage]]:
        """The attempts that can be read (as `attempts` gives them), and what is wrong with each
        of the others. With `salvage` (a backup), a store whose pages SQLite cannot read is read
        row by row: every row it can still reach is kept."""
        conditions = {"learner = ?": learner, "at > ?": after}
        where = " AND ".join(c for c, v in conditions.items() if v is not None)
        where, args = "WHERE " + where if where else "", [v for v in conditions.values() if v is not None]
        with self._guard(advice=FROM_BACKUP if salvage else REPAIR):
            try:
                rows, damaged = self._db.execute(f"{_SELECT} {where} ORDER BY at, rowid", args).fetchall(), []
            except sqlite3.DatabaseError as err:
                if not (salvage and "malformed" in str(err)):
                    raise
                rows, damaged = self._row_by_row(where, args)
        attempts = []
        for row in rows:
            try:
                attempts.append(_record(row))
            except ValueError as err:
                damaged.append(Damage(row[-1], row[0] if isinstance(row[0], str) else None, str(err)))
        if salvage:
            attempts.sort(key=lambda a: a.at)
        return attempts, damaged

    def _row_by_row(self, where: str, args: list) -> tuple[list[tuple], list[Damage]]:
        """The rows SQLite can still reach one at a time, their list found through the learner
        index when it is whole; a Damage for each of the others."""
        try:
            rowids = self._db.execute(f"SELECT rowid FROM attempts INDEXED BY attempts_by_learner {where}",
                                      args).fetchall()
        except sqlite3.DatabaseError:
            rowids = self._db.execute(f"SELECT rowid FROM attempts {where}", args).fetchall()
        rows, damaged = [], []
        for (rowid,) in rowids:
            try:
                row = self._db.execute(f"{_SELECT} WHERE rowid = ?", (rowid,)).fetchone()
            except sqlite3.DatabaseError:
                damaged.append(Damage(rowid, None, "its page cannot be read"))
                continue
            if row is not None:
                rows.append(row)
        return rows, damaged

    def cached_schedule(self, learner: str) -> Cached | None:
        """The learner's cached schedule, if it was computed from the attempts that are still the
        log up to its time (an import may have added earlier ones) and none of them looks damaged
        (then the log is read again, and the damage named)."""
        with self._guard():
            row = self._db.execute("SELECT rules, upto, counted, state FROM schedules WHERE learner = ?",
                                   (learner,)).fetchone()
            if row is None:
                return None
            counted, sound = self._db.execute(f"SELECT count(*), total({_SOUND}) FROM attempts "
                                              "WHERE learner = ? AND at <= ?", (learner, row[1])).fetchone()
        try:
            return Cached(row[0], row[1], row[2], json.loads(row[3])) if counted == sound == row[2] else None
        except ValueError:                  # damaged: it is computed anew from the log
            return None

    def cache_schedule(self, learner: str, rules: str, upto: datetime, counted: int, state: dict) -> None:
        """Keep the learner's schedule, computed from their `counted` attempts up to `upto`; not
        when the store cannot be written (a full disk): it is only a shortcut."""
        with self._guard():
            try:
                self._db.execute("INSERT OR REPLACE INTO schedules VALUES (?, ?, ?, ?, ?)",
                                 (learner, rules, _stored_time(upto), counted, json.dumps(state)))
            except sqlite3.OperationalError:
                pass

    def learners(self) -> list[str]:
        with self._guard():
            return [r[0] for r in self._db.execute("SELECT DISTINCT learner FROM attempts "
                                                   "WHERE learner IS NOT NULL ORDER BY learner")]

    def check_learner(self, name: str) -> None:
        """A StoreError when the store has no attempts of `name` (a misspelt name, say): it lists
        the learners it has."""
        names = self.learners()
        if name in names:
            return
        nobody = f"no attempts of '{name}' in the progress store {self.path}"
        if not names:
            raise StoreError(f"{nobody}: it has none yet")
        import difflib

        folded = {n.casefold(): n for n in names}
        close = difflib.get_close_matches(name.casefold(), list(folded), n=1)
        shown = ", ".join(names[:MAX_NAMES_LISTED]) + (f" and {len(names) - MAX_NAMES_LISTED} more"
                                                      if len(names) > MAX_NAMES_LISTED else "")
        ask = f": did you mean '{folded[close[0]]}'? It has" if close else "; it has"
        raise StoreError(f"{nobody}{ask} {counted(len(names), 'learner')}: {shown}")

    def integrity(self) -> str:
        with self._guard():
            return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    def export(self, learner: str | None = None) -> tuple[dict, list[Damage]]:
        """An export of every attempt (or the learner's) that can be read, and what is wrong with
        those that cannot: a backup saves what it can."""
        attempts, damaged = self.readable(learner, salvage=True)
        if damaged and not attempts:
            raise StoreError(f"the progress store {self.path} is damaged: none of its "
                             f"{counted(len(damaged), 'attempt')} can be read (the first: {damaged[0]}); {FROM_BACKUP}")
        return {"format": EXPORT_FORMAT, "schema": SCHEMA_VERSION,
                "exported": datetime.now(timezone.utc).isoformat(),
                "attempts": [a.to_dict() for a in attempts]}, damaged

    def import_(self, data) -> tuple[int, int, list[str]]:
        """Add the attempts of an export; returns (added, already present, whose they are)."""
        attempts = read_export(data)
        added = self.add(attempts)
        return added, len(attempts) - added, sorted({a.learner for a in attempts})

    def _guard(self, unsaved: str = "nothing was saved", advice: str = REPAIR):
        return _Guard(self.path, unsaved, advice)


class Cached(NamedTuple):
    """A learner's schedule as computed under `rules` from their `counted` attempts up to `upto`
    (stored time)."""

    rules: str
    upto: str
    counted: int
    state: dict


class _Guard:
    """Turns SQLite's errors into one-line StoreErrors that name the file; a full disk says
    what was not saved, a damaged file what to do (`advice`)."""

    def __init__(self, path: Path, unsaved: str, advice: str):
        self.path = path
        self.unsaved = unsaved
        self.advice = advice

    def __enter__(self):
        return self

    def __exit__(self, kind, err, tb):
        if isinstance(err, sqlite3.DatabaseError):
            if "disk is full" in str(err):
                raise StoreError(f"the disk is full: {self.unsaved} (progress store {self.path})") from None
            if "locked" in str(err):
                raise StoreError(f"another program kept the progress store {self.path} locked for 30 s: "
                                 f"{self.unsaved}; close it (a database browser, a sync tool) and try again") from None
            if "malformed" in str(err) or "not a database" in str(err):
                raise StoreError(f"the progress store {self.path} is damaged ({err}): {self.advice}") from None
            raise StoreError(f"progress store {self.path}: {err}") from None
        return False


def incomplete_export(path: Path, damaged: list[Damage], saved: int, where: str) -> StoreError:
    """The error of an export that wrote the `saved` attempts that could be read to `where`."""
    import shlex

    n = len(damaged)
    return StoreError(f"{counted(n, 'attempt')} of the progress store {path} could not be read and "
                      f"{'is' if n == 1 else 'are'} not in the export (the first: {damaged[0]}); {where} holds "
                      f"the {saved:,} that could: move the store aside, then "
                      + ("`drills progress --import` that export" if where == "stdout"
                         else f"`drills progress --import {shlex.quote(where)}`"))


def read_export(data) -> list[AttemptRecord]:
    """The attempts of an export (a dict as `Store.export` makes), checked."""
    from drills.records import AttemptRecord, is_number, learner_name

    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise StoreError(f"not a drills progress export (expected \"format\": \"{EXPORT_FORMAT}\")")
    schema = data.get("schema", SCHEMA_VERSION)
    if not is_number(schema, int) or schema > SCHEMA_VERSION:
        raise StoreError(f"the export was written by a newer drills (schema {schema!r}, this one knows "
                         f"{SCHEMA_VERSION}); upgrade drills to import it")
    if not isinstance(data.get("attempts"), list):
        raise StoreError("the export has no list of attempts")
    from drills.catalog import TOPICS

    attempts, latest = [], datetime.now(timezone.utc) + CLOCK_SLACK
    for i, item in enumerate(data["attempts"], 1):
        try:
            if not isinstance(item, dict):
                raise ValueError("not an object")
            _refuse_unkeepable(item)
            attempt = AttemptRecord.from_dict(item)
            attempt = replace(attempt, learner=learner_name(attempt.learner))
            if attempt.topic not in TOPICS:           # kept, it would be counted but never shown
                raise ValueError(f"unknown topic '{attempt.topic}'")
            if attempt.level not in TOPICS[attempt.topic].levels:
                raise ValueError(f"topic '{attempt.topic}' has no level '{attempt.level}'")
            if attempt.at > latest:         # a wrong clock; it would also keep the saved schedule stale
                raise ValueError(f"dated {attempt.at:%Y-%m-%d %H:%M} UTC, in the future: "
                                 "was that machine's clock right?")
            attempts.append(attempt)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            what = f"missing {err}" if isinstance(err, KeyError) else str(err)
            raise StoreError(f"attempt {i} of the export cannot be read ({what})") from None
    return attempts


def _refuse_unkeepable(item) -> None:
    """A ValueError for what the store cannot keep as it is: NaN or an infinity (SQLite makes NaN
    NULL; JSON has neither), text with a lone surrogate (not UTF-8)."""
    try:
        text = json.dumps(item, allow_nan=False, ensure_ascii=False)
    except ValueError:
        raise ValueError("a number that is NaN or infinite") from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text with a lone surrogate, which is not Unicode") from None


def _refuse_foreign_file(path: Path) -> None:
    try:
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a progress store; set DRILLS_HOME to another folder")
        with open(path, "rb") as f:
            head = f.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as err:
        raise StoreError(f"cannot read the progress store {path}: {reason(err)}") from None
    if head and head != _SQLITE_MAGIC:
        raise StoreError(f"{path} is not a drills progress store (not an SQLite file); "
                         "it was left untouched: move it aside or set DRILLS_HOME")


def _check_identity(db: sqlite3.Connection, path: Path) -> None:
    # one statement, one snapshot: a store another drills is creating right now is seen whole or
    # not at all (read apart, its tables could appear before its application id)
    app, version, tables = db.execute("SELECT (SELECT application_id FROM pragma_application_id), "
                                      "(SELECT user_version FROM pragma_user_version), "
                                      "(SELECT count(*) FROM sqlite_master)").fetchone()
    if app not in (0, APPLICATION_ID) or (app == 0 and tables):
        raise StoreError(f"{path} is an SQLite file of another program, not a drills progress store; "
                         "it was left untouched: move it aside or set DRILLS_HOME")
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path} was written by a newer drills (schema {version}, this one knows "
                         f"{SCHEMA_VERSION}); upgrade drills to read it")


def _use_wal(db: sqlite3.Connection) -> None:
    """WAL mode (it stays with the file). Switching a new store needs it to itself, and SQLite
    says "locked" at once instead of waiting, so a second drills opening it too tries again."""
    for pause in (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0):
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err):
                raise
        time.sleep(pause)
    db.execute("PRAGMA journal_mode = WAL")


def _migrate(db: sqlite3.Connection, target: int) -> None:
    version, app = db.execute("SELECT (SELECT user_version FROM pragma_user_version), "
                              "(SELECT application_id FROM pragma_application_id)").fetchone()
    if version >= target and app == APPLICATION_ID:
        return                  # the usual start: no write, so no commit and no sync to wait for
    db.execute("BEGIN IMMEDIATE")                  # one migrator at a time; others wait, then see it done
    with _rolled_back_on_error(db):
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for v in range(version + 1, target + 1):
            for statement in MIGRATIONS[v]:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {v}")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("COMMIT")


@contextmanager
def _rolled_back_on_error(db: sqlite3.Connection):
    """Roll the open transaction back when the block fails, unless SQLite already did (as it
    does on a full disk: a ROLLBACK then would hide that error behind its own)."""
    try:
        yield
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def _row(a: AttemptRecord) -> tuple:
    parts = json.dumps([p.to_dict() for p in a.parts], ensure_ascii=False)
    return (a.id, a.learner, _stored_time(a.at), a.topic, a.level, a.problem_id,
            a.seed, json.dumps(a.params, ensure_ascii=False), parts, a.score, a.seconds, a.hints, a.source)


def _stored_time(at: datetime) -> str:
    """UTC to the microsecond, so that text order is time order."""
    return at.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _record(row: tuple) -> AttemptRecord:
    """The attempt of a stored row; a ValueError says what is wrong with it."""
    from drills.records import AttemptRecord      # here: a new learner's first problem shows without it

    d = dict(zip(_COLUMNS, row))
    try:
        d["params"], d["parts"] = json.loads(d["params"]), json.loads(d["parts"])
        return AttemptRecord.from_dict(d)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise ValueError(_fault(dict(zip(_COLUMNS, row)), err)) from None


def _fault(d: dict, err: Exception) -> str:
    """What makes a stored row unreadable: NULLs (a torn write), text that is not JSON, or what
    AttemptRecord.from_dict found."""
    empty = [c for c in _NOT_NULL if d[c] is None]
    if empty:
        return f"empty (NULL): {', '.join(empty[:3])}{', …' if len(empty) > 3 else ''}"
    for key in ("params", "parts"):
        try:
            json.loads(d[key])
        except (TypeError, ValueError):
            return f"its {key} are not JSON"
    return str(err)
