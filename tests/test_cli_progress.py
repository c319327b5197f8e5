"""practice records, review serves what is due, progress reports it: through the command line."""
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

from drills import generate
from drills.cli import main
from drills.learner import schedule_of
from drills.progress import Store
from drills.records import AttemptRecord, PartRecord
from drills.progress_view import local, relative
from drills.terminal import columns
from grader.spec import Kind


def run(capsys, monkeypatch, *argv, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def answers(problem, wrong=()):
    return "".join(("0\n" if p.key in wrong else
                    (p.answer if isinstance(p.answer, str) else json.dumps(p.answer)) + "\n")
                   for p in problem.parts)


def progress_of(capsys, monkeypatch, *extra):
    code, out, _ = run(capsys, monkeypatch, "progress", "--format", "json", *extra)
    assert code == 0
    return {(s["topic"], s["level"]): s for s in json.loads(out)["skills"]}


def test_practice_records_each_attempt_for_progress(capsys, monkeypatch, drills_home):
    first, second = generate("matmul", "fill-in", seed=4), generate("matmul", "fill-in", seed=5)
    code, out, _ = run(capsys, monkeypatch, "practice", "-t", "matmul", "--seed", "4", "-n", "2",
                       stdin=answers(first) + answers(second, wrong={"a"}))
    assert code == 0 and "fill-in" in out                     # a new learner starts at fill-in
    skill = progress_of(capsys, monkeypatch)[("matmul", "fill-in")]
    assert (skill["attempts"], skill["correct"], skill["accuracy"]) == (2, 1, 0.5)
    assert skill["mastery"] == "learning" and 0 < skill["retrievability"] <= 1
    assert datetime.fromisoformat(skill["due"]).utcoffset() == timedelta(0)
    with Store.open() as store:
        stored = store.attempts()
    assert [a.problem_id for a in stored] == [first.id, second.id]
    assert stored[1].parts[0].answer == "0" and not stored[1].passed


def test_practice_without_a_topic_starts_with_the_first_new_skill(capsys, monkeypatch):
    problem = generate("matmul", "fill-in", seed=9)
    code, out, _ = run(capsys, monkeypatch, "practice", "--seed", "9", "-n", "1", stdin=answers(problem))
    assert code == 0 and problem.prompt in out


LAZY_FSRS = """
import json, sys
from drills import generate
from drills.cli import main
first = generate("matmul", "fill-in", seed=1)
main(["practice", "--topic", "matmul", "--seed", "1", "-n", "1"])        # stdin is empty: no answer
print("fsrs before an attempt:", "fsrs.card" in sys.modules)
sys.stdin = open(sys.argv[1])
main(["practice", "--topic", "matmul", "--seed", "1", "-n", "1"])
print("fsrs after:", "fsrs.card" in sys.modules)
"""


def test_a_new_learners_first_problem_does_not_wait_for_fsrs(tmp_path):
    answer_file = tmp_path / "answers.txt"
    answer_file.write_text(answers(generate("matmul", "fill-in", seed=1)))
    env = {**os.environ, "DRILLS_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", LAZY_FSRS, str(answer_file)], input="", env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "fsrs before an attempt: False" in done.stdout and "fsrs after: True" in done.stdout
    shown = subprocess.run([sys.executable, "-m", "drills", "progress", "--format", "json"], env=env,
                           capture_output=True, text=True, timeout=120)
    skill = {(s["topic"], s["level"]): s for s in json.loads(shown.stdout)["skills"]}[("matmul", "fill-in")]
    assert skill["attempts"] == 1 and skill["due"] is not None      # scheduled by the lazily loaded FSRS


def test_learners_are_kept_apart_and_listed_together(capsys, monkeypatch):
    problem = generate("svd", "free-response", seed=2)
    for name in ("ann", "bo", "李雷"):
        run(capsys, monkeypatch, "practice", "-t", "svd", "-l", "free-response", "--seed", "2", "-n", "1",
            "--learner", name, stdin=answers(problem, wrong={"a"} if name == "bo" else ()))
    assert progress_of(capsys, monkeypatch, "--learner", "ann")[("svd", "free-response")]["correct"] == 1
    assert progress_of(capsys, monkeypatch, "--learner", "bo")[("svd", "free-response")]["correct"] == 0
    code, out, _ = run(capsys, monkeypatch, "progress", "--all-learners")
    rows = out.splitlines()[1:4]
    assert code == 0 and [r.split()[0] for r in rows] == ["ann", "bo", "李雷"]
    # the bars line up in the terminal: the two wide characters take four columns, as "ann " does
    assert len({columns(r[:r.index("█" if "█" in r else "░")]) for r in rows}) == 1
    code, out, _ = run(capsys, monkeypatch, "progress", "--all-learners", "--format", "json")
    assert [entry["learner"] for entry in json.loads(out)["learners"]] == ["ann", "bo", "李雷"]


def _seed_store(learner, days_ago):
    at = datetime.now(timezone.utc) - timedelta(days=days_ago)
    with Store.open() as store:
        for topic, minutes in (("matmul", 0), ("matmul", 1), ("transpose", 0), ("transpose", 1)):
            store.record(AttemptRecord(learner=learner, topic=topic, level="fill-in", problem_id="p", seed=1,
                                       parts=(PartRecord("a", "1", 1.0, True),),
                                       at=at + timedelta(minutes=minutes), seconds=100))


def test_review_serves_what_is_due_and_then_says_when_the_next_is(capsys, monkeypatch):
    _seed_store("ann", days_ago=40)
    code, out, _ = run(capsys, monkeypatch, "review", "--learner", "ann", "--count", "1", stdin="q\n")
    assert code == 0 and "1 skill to review" in out and out.count("── Problem") == 1
    code, out, _ = run(capsys, monkeypatch, "review", "--learner", "ann", stdin="1\n" * 40)
    assert code == 0 and "2 skills to review" in out and out.count("── Problem") == 2
    assert "Matrix multiplication" in out and "Transpose" in out
    code, out, _ = run(capsys, monkeypatch, "review", "--learner", "ann")
    assert code == 0 and "Nothing is due now. Next review:" in out


def test_review_with_nothing_practised_says_where_to_start(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "review")
    assert code == 0 and "drills practice" in out


def test_review_stops_when_its_minutes_are_up(capsys, monkeypatch):
    _seed_store("ann", days_ago=40)
    ticks = iter(range(0, 10**6, 40))                       # every look at the clock: 40 s later
    monkeypatch.setattr(time, "monotonic", lambda: float(next(ticks)))
    code, out, _ = run(capsys, monkeypatch, "review", "--learner", "ann", "--minutes", "1", stdin="1\n" * 40)
    assert code == 0 and "2 skills to review" in out and out.count("── Problem") == 1
    with Store.open() as store:
        still = len(schedule_of(store, "ann").due(datetime.now(timezone.utc)))
    assert still and out.rstrip().endswith(f"Time is up: {still} skill{'s' if still > 1 else ''} still due.")


def test_progress_table_shows_levels_bars_and_local_times(capsys, monkeypatch):
    _seed_store("ann", days_ago=3)
    code, out, _ = run(capsys, monkeypatch, "progress", "--learner", "ann")
    assert code == 0
    lines = out.splitlines()
    matmul = lines.index(next(line for line in lines if line.startswith("matmul")))
    assert "█" in lines[matmul] and lines[matmul + 1].split()[:3] == ["fill-in", "2", "2"]
    assert any(line.startswith("svd") and line.endswith("new") for line in lines)


def test_progress_tells_right_at_the_first_try_from_right_after_a_retry(capsys, monkeypatch):
    typed = iter(["2x(y-wx-b)", "2x(wx+b-y)"])                # wrong, then right at the retry
    monkeypatch.setattr("drills.practice.Console.standard",
                        classmethod(lambda cls, color=None: cls(lambda prompt: next(typed, "q"), True, False)))
    code, out, _ = run(capsys, monkeypatch, "practice", "-t", "partial-derivatives", "-l", "free-response",
                       "--seed", "3", "-n", "1")
    assert "0 of 1 part right first time" in out
    skill = progress_of(capsys, monkeypatch)[("partial-derivatives", "free-response")]
    assert (skill["attempts"], skill["correct"], skill["accuracy"]) == (1, 1, 1.0)   # the keys as they were
    assert (skill["first_try"], skill["first_try_accuracy"]) == (0, 0.0)
    code, out, _ = run(capsys, monkeypatch, "progress")
    lines = out.splitlines()
    row = lines[lines.index(next(line for line in lines if line.startswith("partial-derivatives"))) + 1]
    assert row.split()[:4] == ["free-response", "1", "0", "1"]               # tries, 1st, right
    assert all(columns(line) <= 80 for line in lines), max(lines, key=columns)


def test_times_are_utc_inside_and_local_on_screen(monkeypatch):
    at = datetime(2026, 6, 1, 23, 30, tzinfo=timezone.utc)
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        assert local(at) == "Tue 02 Jun 08:30"
    finally:
        monkeypatch.undo()
        time.tzset()
    assert relative(at + timedelta(days=3), at) == "in 3 days"
    assert relative(at - timedelta(hours=1), at) == "now"


def test_export_and_import_through_the_command_line(capsys, monkeypatch, tmp_path):
    _seed_store("ann", days_ago=3)
    backup = tmp_path / "backup.json"
    code, out, err = run(capsys, monkeypatch, "progress", "--export", str(backup))
    assert code == 0 and "Exported 4 attempts" in err and out == ""
    monkeypatch.setenv("DRILLS_HOME", str(tmp_path / "elsewhere"))
    code, out, _ = run(capsys, monkeypatch, "progress", "--import", str(backup))
    assert code == 0 and "Imported 4 attempts (0 already present)" in out
    assert progress_of(capsys, monkeypatch, "--learner", "ann")[("transpose", "fill-in")]["attempts"] == 2


def test_export_to_stdout_and_import_from_stdin_with_a_dash(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with Store.open() as store:
        store.record(AttemptRecord(learner="ann", topic="matmul", level="fill-in", problem_id="p", seed=1,
                                   parts=(PartRecord("a", "1", 1.0, True),)))
    code, out, err = run(capsys, monkeypatch, "progress", "--export", "-")
    assert code == 0 and err == "Exported 1 attempt to stdout.\n" and not (tmp_path / "-").exists()
    monkeypatch.setenv("DRILLS_HOME", str(tmp_path / "elsewhere"))
    code, imported, _ = run(capsys, monkeypatch, "progress", "--import", "-", stdin=out)
    assert code == 0 and imported.startswith("Imported 1 attempt (0 already present)")
    code, _, err = run(capsys, monkeypatch, "progress", "--import", "-")
    assert code == 1 and err == "drills: error: no input: stdin is empty (or closed)\n"


@pytest.mark.parametrize("option", ["--export", "--import"])
def test_an_empty_file_name_is_a_usage_error_not_a_quiet_no_op(capsys, monkeypatch, option):
    code, out, err = run(capsys, monkeypatch, "progress", option, "")
    assert code == 2 and "needs a file name" in err and not out


@pytest.mark.parametrize("setup, message", [
    (lambda home: (home / "progress.sqlite3").write_text("not a database"), "not a drills progress store"),
    (lambda home: (home / "progress.sqlite3").mkdir(), "is a folder"),
])
def test_a_bad_store_stops_practice_with_one_line(capsys, monkeypatch, drills_home, setup, message):
    drills_home.mkdir(parents=True, exist_ok=True)
    setup(drills_home)
    for command in (["practice", "-t", "matmul"], ["review"], ["progress"]):
        code, out, err = run(capsys, monkeypatch, *command)
        assert code == 1 and message in err and len(err.strip().splitlines()) == 1 and "Problem" not in out


@pytest.mark.parametrize("argv, message", [
    (["progress", "--import", "missing.json"], "cannot read"),
    (["progress", "--export", "/nonexistent/dir/x.json"], "cannot write"),
])
def test_bad_files_for_export_and_import_are_one_line_errors(capsys, monkeypatch, argv, message):
    code, _, err = run(capsys, monkeypatch, *argv)
    assert code == 1 and message in err and "Traceback" not in err


@pytest.mark.parametrize("text, message", [
    ("[" * 100_000, r"not valid JSON \(nested too deeply\)"),
    ('{"format": "drills-progress", "attempts": [{"learner": "\\ud800"}]}', "attempt 1 .*surrogate"),
    ('{"format": "drills-progress", "attempts": [{"seconds": NaN}]}', "attempt 1 .*NaN"),
    ('{"format": "drills-progress", "attempts": [{"seconds": 1e999}]}', "attempt 1 .*infinite"),
    ('{"format": "drills-progress", "attempts": [["at"]]}', "attempt 1 .*not an object"),
])
def test_a_hostile_import_is_a_one_line_error(capsys, monkeypatch, tmp_path, text, message):
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, monkeypatch, "progress", "--import", str(path))
    assert code == 1 and re.search(message, err) and len(err.splitlines()) == 1


@pytest.mark.parametrize("topic, level, message", [
    ("bogus", "fill-in", "attempt 2 of the export cannot be read (unknown topic 'bogus')"),
    ("partial-derivatives", "code", "attempt 2 of the export cannot be read (topic 'partial-derivatives' has no "
                                    "level 'code')"),
])
def test_an_import_of_a_topic_or_level_drills_does_not_have_is_refused(capsys, monkeypatch, tmp_path, topic,
                                                                         level, message):
    good = AttemptRecord(learner="ann", topic="matmul", level="fill-in", problem_id="p", seed=1,
                         parts=(PartRecord("a", "1", 1.0, True),))
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"format": "drills-progress", "attempts": [
        good.to_dict(), {**good.to_dict(), "topic": topic, "level": level, "id": "other"}]}), encoding="utf-8")
    code, out, err = run(capsys, monkeypatch, "progress", "--import", str(path))
    assert code == 1 and message in err and len(err.splitlines()) == 1 and not out
    with Store.open() as store:
        assert not store.attempts()                      # nothing of a refused export is kept


def test_grade_record_saves_each_students_problems_once(capsys, monkeypatch, tmp_path):
    roster = tmp_path / "roster.txt"
    roster.write_text("Ann Lee\nBo Chen\n", encoding="utf-8")
    key = tmp_path / "key.md"
    code, _, _ = run(capsys, monkeypatch, "worksheet", "-t", "matmul", "-t", "mse", "--seed", "3", "-n", "4",
                     "--students", str(roster), "-o", str(tmp_path / "sheet.md"), "--key", str(key))
    assert code == 0
    code, out, err = run(capsys, monkeypatch, "grade", str(key), "--record", "--format", "csv")
    assert code == 0 and out.startswith("name,") and "Recorded 8 attempts for 2 learners" in err
    code, _, err = run(capsys, monkeypatch, "grade", str(key), "--record")
    assert "Recorded 0 attempts" in err and "(8 already recorded)" in err
    nameless = tmp_path / "nameless.txt"
    nameless.write_text(re.sub(r"(?m)^name: .*\n", "", key.read_text().split("```")[1]), encoding="utf-8")
    code, _, err = run(capsys, monkeypatch, "grade", str(nameless), "--record")
    assert code == 0 and "no name on it, so not recorded" in err and "Recorded 0 attempts for 0 learners" in err
    unusable = tmp_path / "unusable.txt"
    unusable.write_text(key.read_text().split("```")[1].replace("name: Ann Lee", "name: Ann " + "x" * 90), encoding="utf-8")
    code, _, err = run(capsys, monkeypatch, "grade", str(unusable), "--record")
    assert code == 0 and "has at most 80 characters" in err and "so not recorded" in err
    ann = progress_of(capsys, monkeypatch, "--learner", "Ann Lee")
    assert ann[("matmul", "free-response")]["correct"] == 2 and ann[("mse", "free-response")]["attempts"] == 2
    with Store.open() as store:
        assert {a.source for a in store.attempts()} == {"sheet"}


def test_ctrl_c_after_some_parts_were_graded_saves_them_too(capsys, monkeypatch):
    problem = generate("matmul", "fill-in", seed=11)
    lines = iter([answers(problem).splitlines()[0]])

    def read(prompt):                 # one answer, then Ctrl-C
        try:
            return next(lines)
        except StopIteration:
            raise KeyboardInterrupt from None
    monkeypatch.setattr("drills.practice.Console.standard", classmethod(lambda cls, color=None: cls(read, False)))
    code, _, _ = run(capsys, monkeypatch, "practice", "-t", "matmul", "-l", "fill-in", "--seed", "11", "-n", "1")
    assert code == 130
    with Store.open() as store:
        [stored] = store.attempts()
    assert stored.parts[0].passed and not any(p.passed for p in stored.parts[1:])


def _drills_process(*argv, stdin=subprocess.PIPE, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "drills", *argv], stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, **kwargs)


def test_piped_answers_saved_by_notepad_are_read_and_kept():
    # Windows-1252: x² is the byte B2, which is not UTF-8
    proc = _drills_process("practice", "-t", "matmul", "-l", "fill-in", "--seed", "11", "-n", "1")
    out, err = proc.communicate(b"2x3\r\n0\xb2\r\n-3\r\n", timeout=60)
    assert proc.returncode == 0, err
    with Store.open() as store:
        [stored] = store.attempts()
    assert [p.answer for p in stored.parts[:3]] == ["2x3", "0²", "-3"]


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGHUP"), reason="no SIGHUP here")
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_a_kill_or_a_closed_terminal_keeps_the_parts_already_graded(signal_name):
    import signal

    problem = generate("matmul", "fill-in", seed=11)
    proc = _drills_process("practice", "-t", "matmul", "-l", "fill-in", "--seed", "11", "-n", "1")
    proc.stdin.write((answers(problem).splitlines()[0] + "\n").encode())
    proc.stdin.flush()
    seen = b""
    while b"Correct" not in seen:                 # the first part is graded
        chunk = proc.stdout.read1(4096)
        assert chunk, proc.stderr.read()
        seen += chunk
    proc.send_signal(getattr(signal, signal_name))
    proc.communicate(timeout=60)
    assert proc.returncode == 128 + getattr(signal, signal_name)
    with Store.open() as store:
        [stored] = store.attempts()
    assert stored.parts[0].passed and not any(p.passed for p in stored.parts[1:])


def test_quitting_at_the_retry_keeps_the_wrong_first_answer(capsys, monkeypatch):
    lines = iter(["1/2", "q"])                 # a wrong first answer, then q at the retry
    monkeypatch.setattr("drills.practice.Console.standard",
                        classmethod(lambda cls, color=None: cls(lambda prompt: next(lines), True, False)))
    code, out, _ = run(capsys, monkeypatch, "practice", "-t", "gd-step", "-l", "free-response", "--seed", "0", "-n", "1")
    assert code == 0 and "Try once more" in out and "No problems answered" not in out
    with Store.open() as store:
        [stored] = store.attempts()
    assert stored.parts[0].answer == "1/2" and not stored.parts[0].passed


def test_how_many_rows_practice_asks_for_never_tells_whether_a_has_an_inverse(capsys, monkeypatch):
    from grader.parse import is_no_value

    singular = set()
    for seed in range(40):
        problem = generate("inverse", "free-response", seed=seed)
        if [p.kind for p in problem.parts] != [Kind.MATRIX]:
            continue
        n, asked = len(problem.params["A"]), []

        def read(prompt):                     # rows, one more than A has, then an empty line
            asked.append(prompt)
            return " ".join(["1"] * n) if len(asked) <= n + 1 else "" if len(asked) == n + 2 else "q"
        monkeypatch.setattr("drills.practice.Console.standard",
                            classmethod(lambda cls, color=None: cls(read, True, False)))
        run(capsys, monkeypatch, "practice", "-t", "inverse", "-l", "free-response", "--seed", str(seed), "-n", "1")
        assert sum(p.strip() == "…" for p in asked) == n + 1, asked     # rows until the empty line, any A
        singular.add(is_no_value(str(problem.parts[0].answer)))
    assert singular == {True, False}


def test_quitting_after_some_parts_were_graded_records_the_rest_as_not_passed(capsys, monkeypatch):
    from drills.schedule import rate
    from fsrs import Rating

    problem = generate("matmul", "fill-in", seed=11)
    first = answers(problem).splitlines()[0]
    code, out, _ = run(capsys, monkeypatch, "practice", "-t", "matmul", "-l", "fill-in", "--seed", "11", "-n", "1",
                       stdin=f"{first}\nq\n")
    assert code == 0 and "1 problem, 1 of" in out
    with Store.open() as store:
        [stored] = store.attempts()
    assert [p.key for p in stored.parts] == [p.key for p in problem.parts]
    assert stored.parts[0].passed and not any(p.passed or p.answer for p in stored.parts[1:])
    assert rate(stored) == Rating.Again
    code, out, _ = run(capsys, monkeypatch, "practice", "-t", "matmul", "-l", "fill-in", "--seed", "11", "-n", "1",
                       stdin="q\n")
    with Store.open() as store:
        assert len(store.attempts()) == 1 and "No problems answered." in out     # nothing graded: nothing to keep


FULL_DISK_EXPORT = """
import resource, signal, sys
from drills.cli import main
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)          # a write past the limit fails (EFBIG) instead
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), resource.RLIM_INFINITY))
sys.exit(main(["progress", "--export", sys.argv[1]]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="no RLIMIT_FSIZE")
def test_a_failed_export_leaves_the_previous_backup_whole(tmp_path, drills_home):
    with Store.open() as store:
        store.add([AttemptRecord(learner="ann", topic="matmul", level="fill-in", problem_id=f"p{i}", seed=i,
                                 parts=(PartRecord("a", "1", 1.0, True),), params={"A": [[i] * 16] * 16})
                   for i in range(300)])
    backup = tmp_path / "backup.json"
    backup.write_text('{"format": "drills-progress", "attempts": []}\n')
    before = backup.read_bytes()
    store_size = max(f.stat().st_size for f in drills_home.iterdir())
    limit = store_size + 2**16                           # room for the store and its -shm, not for the export
    with Store.open() as store:
        assert len(json.dumps(store.export(), indent=1)) > limit
    env = {**os.environ, "DRILLS_HOME": str(drills_home)}
    done = subprocess.run([sys.executable, "-c", FULL_DISK_EXPORT, str(backup), str(limit)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "cannot write" in done.stderr and len(done.stderr.splitlines()) == 1
    assert backup.read_bytes() == before and sorted(os.listdir(tmp_path)) == ["backup.json", "home"]


def test_export_to_standard_output_is_json_alone_and_appends_to_a_log(tmp_path, drills_home):
    env = {**os.environ, "DRILLS_HOME": str(drills_home)}
    export = [sys.executable, "-m", "drills", "progress", "--export", "/dev/stdout"]
    piped = subprocess.run(export, env=env, capture_output=True, text=True, timeout=60)
    assert piped.returncode == 0 and json.loads(piped.stdout)["format"] == "drills-progress"
    log = tmp_path / "all.log"
    log.write_text("earlier lines\n")
    with log.open("a") as out:
        assert subprocess.run(export, env=env, stdout=out, timeout=60).returncode == 0
    assert log.read_text().startswith("earlier lines\n{")


def test_export_follows_a_link_and_writes_into_what_is_not_a_file(capsys, monkeypatch, tmp_path):
    real, link = tmp_path / "real.json", tmp_path / "backup.json"
    real.write_text("{}")
    link.symlink_to(real)
    code, _, _ = run(capsys, monkeypatch, "progress", "--export", str(link))
    assert code == 0 and link.is_symlink() and json.loads(real.read_text())["format"] == "drills-progress"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen([sys.executable, "-c", f"print(open({str(fifo)!r}).read())"], stdout=subprocess.PIPE, text=True)
    code, _, _ = run(capsys, monkeypatch, "progress", "--export", str(fifo))
    assert code == 0 and json.loads(reader.communicate(timeout=30)[0])["format"] == "drills-progress"


def test_learner_names_are_checked_and_kept_in_one_form(capsys, monkeypatch):
    problem = generate("matmul", "fill-in", seed=4)
    code, _, _ = run(capsys, monkeypatch, "practice", "-t", "matmul", "--seed", "4", "-n", "1",
                     "--learner", " Zoë ", stdin=answers(problem))
    assert code == 0
    assert progress_of(capsys, monkeypatch, "--learner", "Zoe\u0308")[("matmul", "fill-in")]["attempts"] == 1
    for command in (["practice", "-t", "matmul"], ["review"], ["progress"], ["check-code", "x.py"],
                    ["grade", "-", "--record"]):
        code, out, err = run(capsys, monkeypatch, *command, "--learner", "\x1b[31mred")
        assert code == 2 and "control character" in err and "\x1b[31m" not in err and "Problem" not in out


def test_export_keeps_to_the_learner_asked_for_and_import_names_whose_attempts_it_added(capsys, monkeypatch,
                                                                                      tmp_path):
    _seed_store("ann", days_ago=3)
    _seed_store("bo", days_ago=2)
    backup = tmp_path / "backup.json"
    code, _, err = run(capsys, monkeypatch, "progress", "--export", str(backup), "--learner", "bo")
    assert code == 0 and "Exported 4 attempts of bo" in err
    assert {a["learner"] for a in json.loads(backup.read_text())["attempts"]} == {"bo"}
    monkeypatch.setenv("DRILLS_HOME", str(tmp_path / "elsewhere"))
    code, out, _ = run(capsys, monkeypatch, "progress", "--import", str(backup))
    assert code == 0 and "Imported 4 attempts" in out and "drills progress --learner bo" in out
    for extra in (["--import", str(backup), "--learner", "bo"], ["--all-learners", "--learner", "bo"]):
        code, _, err = run(capsys, monkeypatch, "progress", *extra)
        assert code == 2 and "--learner" in err and len(err.splitlines()) == 1


def _damage(home, change: str, learner: str) -> str:
    """Change the learner's first attempt in the store by SQL, as a hand edit leaves it; its id."""
    db = sqlite3.connect(home / "progress.sqlite3", isolation_level=None)
    rowid, attempt_id = db.execute("SELECT rowid, id FROM attempts WHERE learner = ? ORDER BY at",
                                   (learner,)).fetchone()
    db.execute(f"UPDATE attempts {change} WHERE rowid = ?", (rowid,))
    db.close()
    return attempt_id


@pytest.mark.parametrize("change, what", [("SET params = '{bad'", "its params are not JSON"),
                                          ("SET at = 'yesterday'", "at 'yesterday' is not a date and time")])
def test_a_damaged_attempt_is_named_in_one_line_and_practice_goes_on(capsys, monkeypatch, tmp_path, drills_home,
                                                                    change, what):
    _seed_store("ann", days_ago=40)
    _seed_store("bo", days_ago=40)
    for learner in ("ann", "bo"):       # schedules cached before the damage do not hide it
        assert run(capsys, monkeypatch, "progress", "--learner", learner)[0] == 0
    attempt_id = _damage(drills_home, change, "ann")
    for command in (["progress", "--learner", "ann"], ["progress", "--format", "json", "--learner", "ann"],
                    ["progress", "--all-learners"]):
        code, out, err = run(capsys, monkeypatch, *command)
        assert code == 1 and not out and len(err.splitlines()) == 1, (command, err)
        assert f"is damaged: attempt {attempt_id[:8]} (row 1): {what}" in err and "drills progress --export" in err
    # practice and review go on, without the damaged attempt, and keep what is answered now
    problem = generate("matmul", "fill-in", seed=4)
    code, out, err = run(capsys, monkeypatch, "practice", "-t", "matmul", "--seed", "4", "-n", "1",
                         "--learner", "ann", stdin=answers(problem))
    assert code == 0 and "3 of 3 parts right" in out
    assert len(err.splitlines()) == 1 and "warning" in err and "left out of your schedule" in err
    code, out, err = run(capsys, monkeypatch, "review", "--learner", "ann", stdin="q\n")
    assert code == 0 and "to review" in out and "left out of your schedule" in err
    # the backup saves every other attempt, says what it left out, and rebuilds a whole store
    backup = tmp_path / "backup.json"
    code, out, err = run(capsys, monkeypatch, "progress", "--export", str(backup))
    assert code == 1 and len(err.splitlines()) == 1
    assert f"1 attempt of the progress store {drills_home / 'progress.sqlite3'} could not be read" in err
    assert f"{backup} holds the 8 that could" in err
    monkeypatch.setenv("DRILLS_HOME", str(tmp_path / "fresh"))
    code, out, _ = run(capsys, monkeypatch, "progress", "--import", str(backup))
    assert code == 0 and "Imported 8 attempts" in out
    assert progress_of(capsys, monkeypatch, "--learner", "ann")[("matmul", "fill-in")]["attempts"] == 2


def test_a_misspelt_learner_gets_the_names_there_are_not_an_empty_backup(capsys, monkeypatch, tmp_path):
    _seed_store("Ada Lovelace", days_ago=3)
    _seed_store("bo", days_ago=3)
    backup = tmp_path / "backup.json"
    for extra in (["--export", str(backup)], ["--export", "-"], []):
        code, out, err = run(capsys, monkeypatch, "progress", "--learner", "ada lovelce", *extra)
        assert code == 1 and not out and len(err.splitlines()) == 1
        assert "no attempts of 'ada lovelce'" in err and "did you mean 'Ada Lovelace'?" in err
        assert "It has 2 learners: Ada Lovelace, bo" in err
    assert not backup.exists()
    code, out, _ = run(capsys, monkeypatch, "progress", "--learner", "bo")
    assert code == 0 and out.startswith("Progress of bo")


def test_the_class_table_fits_80_columns_and_cuts_long_names_short(capsys, monkeypatch):
    names = ["Mohammed Al-Farsi", "Mohammed Al-Fayed", "Ada Lovelace", "Bo", "李雷" * 20, "x" * 80]
    for name in names:
        _seed_store(name, days_ago=3)
    code, out, _ = run(capsys, monkeypatch, "progress", "--all-learners")
    lines = out.splitlines()
    assert code == 0 and all(columns(line) <= 80 for line in lines), max(lines, key=columns)
    rows = lines[1:1 + len(names)]
    shown = [row[:row.index(" ██")].rstrip() for row in rows]
    assert shown == ["Ada Lovelace", "Bo", "Moham…Al-Farsi", "Moham…Al-Fayed", "x" * 13 + "…", "李雷" * 3 + "…"]
    assert len({columns(row[:row.index("█")]) for row in rows}) == 1 and rows[0].endswith("    4 100%")


def test_a_learner_without_tries_has_no_accuracy_in_the_class_table():
    from drills.progress_view import class_table
    from drills.schedule import Schedule

    row = class_table({"ann": Schedule()}, datetime.now(timezone.utc)).splitlines()[1]
    assert row.endswith("    0    —") and "0%" not in row
