"""The code level through drills: generate, practice (starter file, Enter to grade, retries),
check-code, and attempts that count in progress like any other level's."""
import io
import json
import sys

import pytest

from drills import generate
from drills.catalog import TOPICS
from drills.cli import main
from drills.coding import TOPIC_EXERCISES, read_header, starter_text
from drills.practice import Console, run
from grader import grade
from grader.code import exercise


def cli(capsys, monkeypatch, *argv, stdin=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def skills(capsys, monkeypatch):
    _, out, _ = cli(capsys, monkeypatch, "progress", "--format", "json")
    return {(s["topic"], s["level"]): s for s in json.loads(out)["skills"]}


def test_topics_with_an_exercise_have_the_code_level_last():
    for name, info in TOPICS.items():
        assert ("code" in info.levels) == (name in TOPIC_EXERCISES)
        if "code" in info.levels:
            assert info.levels[-1] == "code"
    assert {e for names in TOPIC_EXERCISES.values() for e in names} == set(
        __import__("grader.code", fromlist=["exercise_names"]).exercise_names())


def test_generate_code_follows_the_contract_and_grades(capsys, monkeypatch, tmp_path):
    code, out, _ = cli(capsys, monkeypatch, "generate", "--topic", "gd-step", "--level", "code", "--seed", "3")
    problem = json.loads(out)
    assert code == 0 and set(problem) == {"id", "topic", "level", "seed", "params", "prompt", "parts", "solution"}
    assert problem["level"] == "code" and problem["params"] == {"exercise": "batch_gd", "seed": 3}
    [part] = problem["parts"]
    assert part["kind"] == "code" and part["code"] == {"exercise": "batch_gd", "seed": 3}
    assert part["answer"] == exercise("batch_gd").solution
    assert "def batch_gd(X, y, theta, eta, epochs):" in problem["prompt"]
    assert "# drills code exercise: batch_gd\n    # topic gd-step · seed 3" in problem["prompt"]
    assert "def batch_gd" in problem["solution"]
    code, out, _ = cli(capsys, monkeypatch, "generate", "--topic", "gd-step", "--level", "code", "--params",
                       json.dumps(problem["params"]))
    assert json.loads(out) == {**problem, "seed": None}
    path = tmp_path / "p.json"
    path.write_text(out)
    code, out, _ = cli(capsys, monkeypatch, "check", str(path), "-a", "a=" + part["answer"], "--format", "json")
    assert code == 0 and json.loads(out)["score"] == 1


def test_the_seed_picks_the_exercise_and_bad_params_are_one_line(capsys, monkeypatch):
    asked = {generate("sgd", "code", seed=s).params["exercise"] for s in range(12)}
    assert asked == set(TOPIC_EXERCISES["sgd"])
    code, _, err = cli(capsys, monkeypatch, "generate", "-t", "gd-step", "-l", "code", "--params",
                       '{"exercise": "svd_pinv", "seed": 1}')
    assert code == 1 and "no code exercise 'svd_pinv'" in err and err.count("\n") == 1
    code, _, err = cli(capsys, monkeypatch, "generate", "-t", "partial-derivatives", "-l", "code", "--seed", "1")
    assert code == 1 and "has no level 'code'" in err


@pytest.mark.parametrize("fmt,marker", [("text", "    def mse"), ("md", "```python"), ("html", "<pre><code>"),
                                        ("tex", r"\begin{verbatim}")])
def test_the_exercise_renders_as_code_in_every_format(capsys, monkeypatch, fmt, marker):
    code, out, _ = cli(capsys, monkeypatch, "generate", "-t", "mse", "-l", "code", "--seed", "2", "--format", fmt)
    assert code == 0 and marker in out


def test_starter_and_model_lines_fit_the_terminal():
    for topic, names in TOPIC_EXERCISES.items():
        for name in names:
            for text in (starter_text(topic, name, 2**31 - 1, "a_long_file_name_of_a_solution.py"),
                         exercise(name).solution):
                assert max(len(line) for line in text.splitlines()) <= 84, name
    assert read_header(starter_text("sgd", "sgd_epoch", 12)) == ("sgd_epoch", "sgd", 12)


def test_practice_writes_the_starter_grades_on_enter_and_records(capsys, monkeypatch, tmp_path):
    code, out, _ = cli(capsys, monkeypatch, "practice", "-t", "gd-step", "-l", "code", "--seed", "3", "-n", "1",
                       "--file", str(tmp_path), stdin="\n")
    written = tmp_path / "batch_gd.py"
    assert code == 0 and written.exists()
    assert read_header(written.read_text()) == ("batch_gd", "gd-step", 3)
    assert "NotImplementedError" in out and "0 of 7 cases pass" in out and "A model solution" in out
    skill = skills(capsys, monkeypatch)[("gd-step", "code")]
    assert skill["attempts"] == 1 and skill["correct"] == 0


def test_a_file_path_ending_in_a_slash_is_a_folder(capsys, monkeypatch, tmp_path):
    code, out, _ = cli(capsys, monkeypatch, "practice", "-t", "gd-step", "-l", "code", "--seed", "3", "-n", "1",
                       "--file", f"{tmp_path}/new/", stdin="\n")
    assert code == 0 and (tmp_path / "new" / "batch_gd.py").is_file()


def test_practice_keeps_a_file_of_the_same_problem_and_moves_one_of_another_aside(capsys, monkeypatch, tmp_path):
    path, seed = tmp_path / "mine.py", generate("gd-step", "code", seed=3).params["seed"]
    assert generate("gd-step", "code", seed=3).params["exercise"] == "batch_gd"
    header = starter_text("gd-step", "batch_gd", seed).split("import numpy")[0]
    path.write_text(header + exercise("batch_gd").solution)
    practise = ["practice", "-t", "gd-step", "-l", "code", "--seed", "3", "-n", "1", "--file", str(path)]
    code, out, _ = cli(capsys, monkeypatch, *practise, stdin="\n")
    assert code == 0 and "Your file of this problem is there" in out and "All 7 cases pass" in out
    assert path.read_text().startswith(header)
    assert skills(capsys, monkeypatch)[("gd-step", "code")]["correct"] == 1
    earlier = starter_text("gd-step", "batch_gd", 99).split("import numpy")[0] + exercise("batch_gd").solution
    path.write_text(earlier)                          # a solution to another batch_gd problem: a review
    code, out, _ = cli(capsys, monkeypatch, *practise, stdin="\n")
    assert code == 0 and "your earlier batch_gd is now mine.prev.py" in out and "All 7 cases pass" not in out
    assert (tmp_path / "mine.prev.py").read_text() == earlier and "All 7" not in path.read_text()
    again = starter_text("gd-step", "batch_gd", 98).split("import numpy")[0] + exercise("batch_gd").solution
    path.write_text(again)                            # another review: the earlier file stays where it is
    cli(capsys, monkeypatch, *practise, stdin="\n")
    assert (tmp_path / "mine.prev.py").read_text() == earlier and (tmp_path / "mine.prev2.py").read_text() == again
    path.write_text(starter_text("gd-step", "batch_gd", 97, "mine.py"))   # a starter never worked in
    code, out, _ = cli(capsys, monkeypatch, *practise, stdin="\n")
    assert "is now" not in out and not (tmp_path / "mine.prev3.py").exists()


def test_practice_refuses_to_overwrite_another_file(capsys, monkeypatch, tmp_path):
    path = tmp_path / "notes.py"
    path.write_text("print('my own work')\n")
    code, _, err = cli(capsys, monkeypatch, "practice", "-t", "gd-step", "-l", "code", "--seed", "3", "-n", "1",
                       "--file", str(path), stdin="\n")
    assert code == 1 and "not overwriting" in err and err.count("\n") == 1
    assert path.read_text() == "print('my own work')\n"


def test_interactive_practice_regrades_after_each_edit_and_marks_a_correction(tmp_path):
    problem = generate("mse", "code", seed=5)
    name = problem.params["exercise"]
    path = tmp_path / f"{name}.py"
    header = starter_text("mse", name, 5).split("import numpy")[0]
    wrong = exercise(name).solution.replace("(2 / m)", "(1 / m)").replace("** 2", "** 1")
    edits = iter([None, wrong, exercise(name).solution])
    said = []

    def read_line(prompt):
        said.append(prompt)
        text = next(edits)
        if text is not None:
            path.write_text(header + text)
        return ""

    summary = run([problem], Console(read_line, True, color=False), code_file=str(path))
    [attempt] = summary.attempts
    assert not attempt.verdict.correct and attempt.corrected == {"a"}
    assert attempt.answers["a"].startswith(header) and "still the starter" not in said[0]
    assert said[1].startswith("Press Enter to grade") and said[2].startswith("Edit, save")


def test_quitting_after_a_graded_attempt_still_counts_it(tmp_path):
    problem = generate("vectors", "code", seed=1)
    name = problem.params["exercise"]
    path = tmp_path / f"{name}.py"
    answers = iter(["", "q"])
    recorded = []

    def read_line(prompt):
        return next(answers)

    summary = run([problem], Console(read_line, True, color=False), on_attempt=recorded.append,
                  code_file=str(tmp_path))
    assert path.exists() and recorded == [] and summary.attempts == []      # starter untouched: not graded
    path.write_text(path.read_text().replace('    raise NotImplementedError', '    return a  #'))
    answers = iter(["", "q"])
    summary = run([problem], Console(read_line, True, color=False), on_attempt=recorded.append,
                  code_file=str(tmp_path))
    assert len(recorded) == 1 and summary.attempts == recorded and not recorded[0].verdict.correct


def test_check_code_grades_a_file_records_it_and_says_so_in_json(capsys, monkeypatch, tmp_path):
    path = tmp_path / "gd_step.py"
    path.write_text(starter_text("gd-step", "gd_step", 8).split("import numpy")[0] + exercise("gd_step").solution)
    code, out, _ = cli(capsys, monkeypatch, "check-code", str(path), "--format", "json")
    result = json.loads(out)
    assert code == 0 and result["correct"] is True and result["recorded"] is True
    assert result["topic"] == "gd-step" and result["exercise"] == "gd_step" and result["seed"] == 8
    code, out, _ = cli(capsys, monkeypatch, "check-code", str(path), "--no-record")
    assert code == 0 and out.startswith("All 8 cases pass.")
    assert skills(capsys, monkeypatch)[("gd-step", "code")]["attempts"] == 1


def test_check_code_without_a_header_needs_an_exercise(capsys, monkeypatch, tmp_path):
    path = tmp_path / "mine.py"
    path.write_text(exercise("unit_vector").solution)
    code, _, err = cli(capsys, monkeypatch, "check-code", str(path))
    assert code == 1 and "no drills header" in err
    code, out, _ = cli(capsys, monkeypatch, "check-code", str(path), "--exercise", "unit_vector",
                       "--format", "json")
    result = json.loads(out)
    assert code == 0 and result["correct"] and result["recorded"] is False and result["topic"] is None
    code, _, err = cli(capsys, monkeypatch, "check-code", str(tmp_path / "none.py"))
    assert code == 1 and "no file" in err


def test_grade_runs_a_code_part_from_the_problem_alone():
    problem = generate("inverse", "code", seed=4)
    verdict = grade(problem.to_dict(), {"a": "def gauss_jordan_inverse(A):\n    return A\n"})
    assert verdict.score < 1 and "A itself" in verdict.parts[0].diagnosis


def test_check_code_rates_good_and_counts_an_unchanged_file_once_a_day(capsys, monkeypatch, tmp_path):
    from drills.progress import Store
    from drills.schedule import rate
    from fsrs import Rating

    path = tmp_path / "gd_step.py"
    solution = starter_text("gd-step", "gd_step", 8).split("import numpy")[0] + exercise("gd_step").solution
    path.write_text(solution)
    for _ in range(3):
        code, out, _ = cli(capsys, monkeypatch, "check-code", str(path), "--format", "json")
        assert code == 0
    assert json.loads(out)["recorded"] is False                              # the same file, the same day
    with Store.open() as store:
        [stored] = store.attempts()
    assert stored.seconds is None and rate(stored) == Rating.Good             # no time taken, so not Easy
    path.write_text(solution + "\n# tidied\n")
    cli(capsys, monkeypatch, "check-code", str(path))
    assert skills(capsys, monkeypatch)[("gd-step", "code")]["attempts"] == 2   # a changed file counts


def test_the_model_solution_before_an_attempt_counts_as_a_miss(tmp_path):
    problem = generate("vectors", "code", seed=1)
    said, recorded = [], []
    summary = run([problem], Console(lambda prompt: said.append(prompt) or "s", True, color=False),
                  on_attempt=recorded.append, code_file=str(tmp_path))
    assert "s: a model solution" in said[0] and len(recorded) == 1 and summary.attempts == recorded
    assert recorded[0].verdict.score == 0 and "before an attempt" in recorded[0].verdict.parts[0].feedback
