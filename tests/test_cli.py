"""The command line as users and tools meet it: output, exit codes, one-line errors."""
import io
import json
import os
import shutil
import subprocess
import sys
from fractions import Fraction

import pytest

from drills import __version__, generate
from click.formatting import HelpFormatter
from click.testing import CliRunner

from drills.catalog import TOPICS
from drills.cli import _help_width, cli, main
from drills.terminal import TEXT_WIDTH
from grader.values import typed


def run(capsys, *argv, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version_and_help(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and __version__ in out
    for command in ("topics", "generate", "check", "practice", "check-code"):
        code, out, _ = run(capsys, command, "--help")
        assert code == 0 and "Usage: drills " + command in out


@pytest.mark.parametrize("command", [[]] + [[name] for name in cli.commands])
def test_help_fits_80_columns_and_shows_examples(command):
    """At 80 columns no line wraps (an example's comment would land at the start of the next
    line), and every command shows how it is used in an Examples block."""
    result = CliRunner().invoke(cli, [*command, "--help"], terminal_width=80)
    assert result.exit_code == 0
    assert not [line for line in result.output.split("\n") if len(line) > 80]
    if command:
        examples = result.output.partition("Examples:\n")[2]
        assert examples.startswith("    ") and f"drills {command[0]} " in examples, result.output


class _TerminalErr(io.StringIO):
    encoding = "utf-8"

    def isatty(self):
        return True


@pytest.mark.parametrize("term,bar", [("xterm", True), ("dumb", False)])
def test_progress_bars_keep_off_a_dumb_terminal(monkeypatch, term, bar):
    """A bar's cursor codes (ESC[?25l) are not for TERM=dumb, which shows them as they are."""
    err = _TerminalErr()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setenv("TERM", term)
    assert main(["fit", "sample:textbook", "-y", "y", "--method", "gd", "--epochs", "5"]) == 0
    assert ("Fitting" in err.getvalue()) is bar and ("\x1b" in err.getvalue()) is bar


def test_help_imports_no_more_than_click_needs():
    """`drills --help` is the start-up budget's first step: nothing heavy is imported for it, nor
    json, pathlib and shutil (about 10 ms together), unless `import click` alone already brings them."""
    def loaded(script: str) -> set[str]:
        done = subprocess.run([sys.executable, "-c", script + "\nprint(' '.join(sys.modules))"],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return set(done.stdout.splitlines()[-1].split())        # the last line, after the help
    click_alone = loaded("import sys, click")
    helped = loaded("import sys\nfrom drills.cli import cli\ntry:\n    cli.main(['--help'], prog_name='drills')\n"
                    "except SystemExit:\n    pass")
    assert "drills.cli" in helped
    unwanted = {"numpy", "jinja2", "sympy", "fsrs", "json", "pathlib", "shutil", "drills.problem"} - click_alone
    assert not unwanted & helped


@pytest.mark.parametrize("columns", ["", "40", "72", "90", "130", "-3", "wide"])
def test_the_help_is_as_wide_as_click_would_make_it(monkeypatch, columns):
    """drills works out click's help width itself (to spare shutil's import): the same width."""
    monkeypatch.setenv("COLUMNS", columns)
    assert _help_width() == HelpFormatter(max_width=100).width


def test_making_a_numeric_problem_loads_no_answer_reader():
    """The first problem on screen is the start-up budget's second step: reading answers (grader.parse,
    the expression reader, SymPy) waits until an answer comes."""
    script = ("import sys\nfrom drills import generate\ngenerate('matmul', seed=1)\n"
              "print(' '.join(m for m in ('grader.parse', 'grader.expression', 'sympy') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout + done.stderr


def test_the_clis_lists_agree_with_the_modules_that_own_them():
    from drills import cli as c
    from drills.catalog import LEVELS
    from drills.fitting import METHODS
    from drills.publish import SUFFIX_FORMATS
    from drills.render import FORMATS
    from drills.sheetid import MAX_COUNT, SHEET_LEVELS
    assert tuple(c.LEVEL_CHOICE.choices) == LEVELS and tuple(c.RENDER_FORMATS) == FORMATS
    assert tuple(c.SHEET_LEVEL_CHOICE.choices) == SHEET_LEVELS and c.SHEET_COUNT.max == MAX_COUNT
    assert set(c.SHEET_FORMATS.choices) == set(SUFFIX_FORMATS.values()) and tuple(c.FIT_METHODS.choices) == tuple(METHODS)
    from drills.worksheet import PAPERS
    assert tuple(c.PAPERS.choices) == tuple(PAPERS)


def test_generate_text_and_check_fit_the_terminal(capsys, tmp_path):
    code, out, _ = run(capsys, "generate", "--topic", "svd", "--seed", "1", "--format", "text")
    long = [line for line in out.splitlines() if len(line) > TEXT_WIDTH and not any(c in line for c in "⎡⎢⎣")]
    assert code == 0 and not long, long
    assert "e.g. U = [[0, 1], [1, 0]];" in " ".join(out.split())       # the format, whole, as read
    problem = tmp_path / "p.json"
    problem.write_text(json.dumps(generate("svd", seed=1).to_dict()), encoding="utf-8")
    _, out, _ = run(capsys, "check", str(problem), "--answer", "a=1")
    lines = out.splitlines()
    assert "Could not read" in out and all(len(line) <= TEXT_WIDTH for line in lines), lines
    assert all(line.count("[") == line.count("]") for line in lines), lines     # no break inside a matrix


def test_a_problem_saved_as_utf16_is_read_as_answer_sheets_are(capsys, tmp_path):
    problem = generate("matmul", seed=11)
    path = tmp_path / "p16.json"
    path.write_bytes(json.dumps(problem.to_dict(), ensure_ascii=False).encode("utf-16"))   # PowerShell's >
    code, out, _ = run(capsys, "check", str(path), "--answer", "a=" + typed(problem.parts[0].answer, problem.parts[0].kind))
    assert code == 0 and "Score: 100%" in out
    (tmp_path / "bin.json").write_bytes(b"\xff\x00\x01")
    code, _, err = run(capsys, "progress", "--import", str(tmp_path / "bin.json"))
    assert code == 1 and "is not a text file (UTF-8, UTF-16 or Windows-1252)" in err and "codec" not in err


@pytest.mark.parametrize("argv", [
    ["worksheet", "-t", "matmul", "-o", ""], ["worksheet", "-t", "matmul", "-o", "s.html", "--key", ""],
    ["worksheet", "-t", "matmul", "-o", "s.html", "--answer-sheet", " "], ["check-code", ""],
    ["fit", "sample:textbook", "-y", "y", "-m", "gd", "--plot", ""], ["practice", "-l", "code", "--file", ""],
])
def test_an_empty_file_name_is_a_usage_error(capsys, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv)
    assert code == 2 and "needs a file name, not an empty one" in err and not list(tmp_path.iterdir())


def test_topics_table_and_json(capsys):
    code, out, _ = run(capsys, "topics")
    assert code == 0 and "matmul" in out and "Matrix multiplication" in out
    assert all(len(line) <= TEXT_WIDTH for line in out.splitlines())
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "after partial-derivatives, matmul" in lines["gradient"] and "after" not in lines["matmul"]
    assert "no code level" in lines["partial-derivatives"] and "no " not in lines["sgd"]
    code, out, _ = run(capsys, "topics", "--format", "json")
    topics = {t["name"]: t for t in json.loads(out)}
    assert topics["matmul"]["levels"] == ["example", "fill-in", "free-response", "code"]
    assert topics["partial-derivatives"]["levels"] == ["example", "fill-in", "free-response"]
    assert set(topics["matmul"]) >= {"title", "levels", "prerequisites"}


def test_generate_json_follows_the_contract(capsys):
    code, out, _ = run(capsys, "generate", "--topic", "matmul", "--seed", "1")
    problem = json.loads(out)
    assert code == 0
    assert set(problem) == {"id", "topic", "level", "seed", "params", "prompt", "parts", "solution"}
    assert problem["seed"] == 1 and problem["level"] == "free-response"
    assert problem == generate("matmul", seed=1).to_dict()
    assert all({"key", "kind", "answer"} <= set(p) for p in problem["parts"])


def test_generate_from_params_and_rebuild(capsys, tmp_path):
    code, out, _ = run(capsys, "generate", "--topic", "matmul", "--params",
                       '{"A": [[1,2],[3,4]], "B": [[5],[6]]}')
    problem = json.loads(out)
    assert code == 0 and problem["parts"][0]["answer"] == [[17], [39]]
    path = tmp_path / "params.json"
    path.write_text(json.dumps(problem["params"]))
    code, out, _ = run(capsys, "generate", "--topic", "matmul", "--params", str(path))
    assert json.loads(out) == problem


@pytest.mark.parametrize("fmt,marker", [("text", "Solution"), ("md", "$$"), ("html", "<math"),
                                        ("tex", r"\begin{document}")])
def test_generate_other_formats(capsys, fmt, marker):
    code, out, _ = run(capsys, "generate", "--topic", "matmul", "--seed", "2", "--format", fmt)
    assert code == 0 and marker in out


def test_check_from_file_and_stdin(capsys, tmp_path, monkeypatch):
    problem = generate("matmul", seed=1)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(problem.to_dict()))
    right = json.dumps(problem.parts[0].answer)
    code, out, _ = run(capsys, "check", str(path), "--answer", f"a={right}", "--format", "json")
    assert code == 0 and json.loads(out)["score"] == 1
    code, out, _ = run(capsys, "check", "-", "-a", "a=[[0]]", "--format", "json",
                       stdin=json.dumps(problem.to_dict()), monkeypatch=monkeypatch)
    verdict = json.loads(out)
    assert code == 0 and verdict["score"] < 1 and verdict["correct"] is False


@pytest.mark.parametrize("env, coloured", [({}, True), ({"NO_COLOR": "1"}, False), ({"TERM": "dumb"}, False)])
def test_colour_is_left_out_where_refused(tmp_path, env, coloured):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(generate("matmul", seed=1).to_dict()))
    runner = CliRunner(env={"NO_COLOR": None, "TERM": "xterm-256color", **env})
    result = runner.invoke(cli, ["check", str(path), "-a", "a=[[0]]"], color=True)    # as at a terminal
    assert result.exit_code == 0 and "Could not read" not in result.output
    assert ("\x1b[" in result.output) is coloured


def test_check_unreadable_answer_is_graded_and_exits_0(capsys, tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(generate("matmul", seed=1).to_dict()))
    code, out, _ = run(capsys, "check", str(path), "-a", "a=[[1, 2", "--format", "json")
    part = json.loads(out)["parts"][0]
    assert code == 0 and part["score"] == 0 and "Could not read" in part["feedback"]
    code, out, _ = run(capsys, "check", str(path), "-a", "a=[[1, 2")
    assert code == 0 and "Score: 0%" in out


@pytest.mark.parametrize("argv,code,fragment", [
    (["generate", "--topic", "nope", "--seed", "1"], 1, "unknown topic 'nope'"),
    (["generate", "--topic", "matmul", "--level", "hard"], 2, "'hard' is not one of"),
    (["generate", "--topic", "matmul", "--seed", "-4"], 2, "--seed"),
    (["generate", "--topic", "matmul", "--seed", "1", "--params", "{}"], 2, "not both"),
    (["generate", "--topic", "matmul", "--params", "{bad"], 2, "invalid JSON"),
    (["generate", "--topic", "matmul", "--params", "missing.json"], 2, "readable file"),
    (["generate", "--topic", "matmul", "--params", '{"A": [[1,2],[3]], "B": [[1]]}'], 1, "ragged"),
    (["generate", "--topic", "matmul", "--params", '{"A": [[1,2]], "B": [[1,2]], "ask": "product"}'], 1, "undefined"),
    (["generate", "--topic", "matmul", "--params", '{"A": [[1]], "B": [[1]], "C": 1}'], 1, "unknown param"),
    (["generate", "--topic", "matmul", "--params", '{"A": [["x"]], "B": [[1]]}'], 1, "not a finite number"),
    (["generate", "--topic", "matmul", "--params", '{"A": [[1e-300]], "B": [[1]]}'], 1, "18 decimal places"),
    (["generate", "--bogus"], 2, "No such option"),
    (["nonsense"], 2, "No such command"),
    (["check", "missing.json"], 2, "missing.json"),
    (["practice", "--topic", "nope"], 1, "unknown topic"),
    (["generate", "--topic", "matmul", "--params", "null"], 2, "must be a JSON object"),
    (["generate", "--topic", "matmul", "--params", "[1, 2]"], 2, "must be a JSON object"),
    (["generate", "--topic", "matmul", "--params", '{"A": [[1, 2], [3, 4]], "B": 5}'], 1, "must be a matrix"),
    (["generate", "--topic", "matmul", "--seed", str(2**63)], 2, "--seed"),
    (["practice", "--topic", "matmul", "--seed", str(2**63)], 2, "--seed"),
    (["check-code", "x.py", "--time-limit", "nan"], 2, "not nan"),
    (["check-code", "x.py", "--time-limit", "inf"], 2, "--time-limit"),
    (["review", "--minutes", "nan"], 2, "not nan"),
    (["progress", "--import", "a.json", "--export", "b.json"], 2, "not both"),
    (["generate", "--topic"], 2,
     "drills generate: Option '--topic' requires an argument. (see 'drills generate --help')"),
    (["grade", "--format"], 2, "(see 'drills grade --help')"),
    (["grade", "--learner", "bob", "-"], 2, "--learner goes with --record"),       # not ignored
    (["fit", "sample:textbook", "-y", "y", "-x", ""], 2, "names no column"),        # not every column
    (["practice", "-t", "matmul", "-l", "fill-in", "--file", "x.py"], 2, "--file is for the code level"),
    (["worksheet", "--id", "", "-o", "a.html"], 2, "--id: needs a sheet ID"),
    (["check-code", "x.py", "--seed", "5"], 2, "--seed goes with --exercise"),
    (["check-code", "x.py", "--learner", "ann", "--no-record"], 2, "--learner does not go with --no-record"),
    (["generate", "-t", "partial-derivatives", "--params", '{"f": "(x*y*z + x^2*y - 3*z + 7)^6", "wrt": "x"}'],
     1, "∂f/∂x written out takes 1,"),              # past what a learner can type: never an internal error
    (["generate", "-t", "gradient", "--params", '{"f": "(x^100+y)^3", "at": [1, 2]}'], 1, "cannot be graded"),
    (["generate", "--topic", "matmul", "--params", '{"A": [[' + "[" * 500 + "]" * 500 + "]], \"B\": [[1]]}"], 1,
     "param 'A' must hold numbers, got " + "[" * 40 + "…"),          # its start, not all 1,000 brackets
])
def test_bad_input_gets_one_line_and_an_exit_code(capsys, argv, code, fragment):
    got, out, err = run(capsys, *argv)
    assert got == code
    assert fragment in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_check_rejects_unknown_parts_and_non_problems(capsys, tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(generate("matmul", seed=1).to_dict()))
    code, _, err = run(capsys, "check", str(path), "-a", "z=1")
    assert code == 1 and "no part 'z'" in err
    code, _, err = run(capsys, "check", str(path), "-a", "a")
    assert code == 2 and "KEY=VALUE" in err
    path.write_text("[1, 2]")
    code, _, err = run(capsys, "check", str(path), "-a", "a=1")
    assert code == 1 and "not a drills problem" in err
    path.write_text("{not json")
    code, _, err = run(capsys, "check", str(path), "-a", "a=1")
    assert code == 1 and "not valid JSON" in err
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00\xff\xfe")
    code, _, err = run(capsys, "check", str(path), "-a", "a=1")
    assert code == 1 and "not a text file" in err


@pytest.mark.parametrize("edit, said", [
    (lambda d: d["parts"][0].update(tolerance="x"), "p.json is not a drills problem: part 1's 'tolerance' is not"),
    (lambda d: d["parts"][0].update(kind="bogus"), "part 1's kind \"bogus\" is not one of number, vector"),
    (lambda d: d["parts"][0].update(kind=[1]), "part 1's kind [1] is not one of number, vector"),
    (lambda d: d["parts"][0].update(kind={}), "part 1's kind {} is not one of number, vector"),
    (lambda d: d["parts"][0].pop("key"), "part 1 has no 'key'"),
    (lambda d: d.pop("topic"), "p.json is not a drills problem: it has no 'topic'"),
    (lambda d: d["parts"].append("a"), "part 2 is not an object"),
])
def test_an_edited_problem_is_named_and_its_wrong_field_said_in_words(capsys, tmp_path, monkeypatch, edit, said):
    problem = generate("matmul", seed=1).to_dict()
    edit(problem)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.json").write_text(json.dumps(problem))
    code, _, err = run(capsys, "check", "p.json", "-a", "a=1")
    assert code == 1 and said in err and len(err.splitlines()) == 1
    assert "Error" not in err and "grader." not in err and "PROBLEM" not in err


@pytest.mark.parametrize("answer", ["x", None, [], {}, [[]], [1, [2]], "1/0", True])
def test_check_refuses_an_edited_key_in_one_line(capsys, tmp_path, answer):
    problem = generate("mse", seed=2).to_dict()
    problem["parts"][0]["answer"] = answer
    path = tmp_path / "p.json"
    path.write_text(json.dumps(problem))
    code, _, err = run(capsys, "check", str(path), "-a", "a=[1, 2, 3]")
    assert code == 1 and "answer to part 'a'" in err and "edited" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("topic, part, edit, said", [
    ("partial-derivatives", 0, lambda p: p.update(answer="2x +"), "answer to part 'a' in p.json is not an expression"),
    ("partial-derivatives", 0, lambda p: p.update(answer=5), "answer to part 'a' in p.json is not an expression"),
    ("partial-derivatives", 0, lambda p: p.update(answer=[1, 2]), "answer to part 'a'"),
    ("partial-derivatives", 0, lambda p: p["mistakes"][1].update(answer="(("), "mistake 2 of part 'a'"),
    ("partial-derivatives", 0, lambda p: p.update(variables=["x y", "1"]), "part 1's 'variables' is not"),
    ("partial-derivatives", 0, lambda p: p.update(variables=["q"]), "part 1's 'variables' is not"),
    ("svd", 0, lambda p: p.update(answer=None), "answer to part 'a' in p.json is not an SVD"),
    ("svd", 0, lambda p: p.update(answer="U = [[1"), "answer to part 'a' in p.json is not an SVD"),
    ("svd", 0, lambda p: p["mistakes"][0].update(answer=5), "mistake 1 of part 'a' in p.json is not an SVD"),
    ("gd-step", 1, lambda p: p.update(answer={}), "answer to part 'b' in p.json is not one of its choices"),
    ("gd-step", 1, lambda p: p.update(answer="explodes"), "answer to part 'b'"),
    ("mse", 0, lambda p: p["mistakes"][0].update(answer="x"), "mistake 1 of part 'a' in p.json is not a vector"),
    ("mse", 0, lambda p: p.update(tolerance={"rel": "x", "abs": 0}), "part 1's 'tolerance' is not"),
])
def test_check_reads_every_answer_and_mistake_of_the_file_first(capsys, tmp_path, monkeypatch, topic, part, edit, said):
    """An edited file gets exit 1 and one line, never an internal error while grading."""
    problem = generate(topic, "free-response", seed=0).to_dict()
    edit(problem["parts"][part])
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.json").write_text(json.dumps(problem))
    key = problem["parts"][part]["key"]
    code, _, err = run(capsys, "check", "p.json", "-a", f"{key}=1")
    assert code == 1 and said in err and len(err.strip().splitlines()) == 1, err


def test_every_generated_key_passes_the_edited_key_check():
    from drills.checking import load_problem

    for topic, info in TOPICS.items():
        for level in ("fill-in", "free-response"):
            for seed in range(8):
                problem = generate(topic, level, seed=seed)
                assert load_problem(json.dumps(problem.to_dict())).parts == problem.parts


def test_float_params_keep_their_digits():
    params = {"A": [[3.1234567, 0.30000000000000004]], "B": [[1], [1]]}
    [[product]] = generate("matmul", params=params).parts[0].answer
    assert Fraction(product) == Fraction("3.1234567") + Fraction("0.30000000000000004")


def test_params_may_be_a_whole_problem(capsys, tmp_path):
    """The JSON of `drills generate` (an edited copy, say) as --params: its params, and its topic
    and level unless given, said in one line on stderr; a problem of another topic is named."""
    path = tmp_path / "p.json"
    problem = generate("matmul", "fill-in", seed=11).to_dict()
    path.write_text(json.dumps(problem), encoding="utf-8")
    for options in ([], ["--topic", "matmul"]):
        code, out, err = run(capsys, "generate", *options, "--params", str(path))
        assert code == 0 and {**json.loads(out), "seed": 11} == problem     # the same problem, seed aside
        assert err == f'drills: note: {path} is a whole problem: its "params" make a matmul fill-in problem\n'
    code, out, err = run(capsys, "generate", "--level", "example", "--params", str(path))
    assert code == 0 and json.loads(out)["level"] == "example" and "matmul example problem" in err
    code, out, err = run(capsys, "generate", "--seed", "3")
    assert code == 2 and out == "" and "--topic" in err and err.count("\n") == 1
    code, out, err = run(capsys, "generate", "--topic", "inverse", "--params", str(path))
    assert code == 2 and out == "" and "whole problem of topic 'matmul'" in err and err.count("\n") == 1


def test_params_file_may_start_with_a_byte_order_mark(capsys, tmp_path):
    path = tmp_path / "p.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"A": [[1, 2], [3, 4]], "B": [[5], [6]]}).encode())
    code, out, _ = run(capsys, "generate", "--topic", "matmul", "--params", str(path))
    assert code == 0 and json.loads(out)["parts"][0]["answer"] == [[17], [39]]


def test_bare_drills_prints_its_help(capsys):
    code, out, err = run(capsys)
    assert code == 0 and out.startswith("Usage: drills") and "practice" in out and not err


def test_a_full_disk_is_one_line(capsys, monkeypatch):
    class Full(io.StringIO):
        def write(self, text):
            raise OSError(28, "No space left on device")
    monkeypatch.setattr(sys, "stdout", Full())
    assert main(["topics"]) == 1
    assert capsys.readouterr().err == "drills: error: No space left on device\n"


def test_an_os_error_names_its_file(capsys, monkeypatch):
    def missing(*args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", "/gone/store.sqlite3")
    monkeypatch.setattr("drills.cli._store", missing)
    assert main(["progress"]) == 1
    assert capsys.readouterr().err == "drills: error: /gone/store.sqlite3: No such file or directory\n"


def test_practice_with_piped_answers(capsys, monkeypatch):
    problem = generate("matmul", "fill-in", seed=3)
    lines = [json.dumps(p.answer) if not isinstance(p.answer, str) else p.answer for p in problem.parts]
    code, out, _ = run(capsys, "practice", "--topic", "matmul", "--level", "fill-in", "--seed", "3",
                       "--count", "1", stdin="\n".join(lines) + "\n", monkeypatch=monkeypatch)
    assert code == 0
    assert problem.prompt in out                  # the same problem as `generate --seed 3`
    assert out.count("✓ Correct.") == len(problem.parts)
    assert "Solution" in out and f"{len(lines)} of {len(lines)} parts right" in out


def test_practice_reports_wrong_and_unreadable_then_reveals(capsys, monkeypatch):
    problem = generate("matmul", seed=5)
    code, out, _ = run(capsys, "practice", "-t", "matmul", "-l", "free-response", "--seed", "5", "-n", "1",
                       stdin="[[1, 2\n", monkeypatch=monkeypatch)
    assert code == 0 and "Could not read" in out
    assert "The answer: 4×2" in out                 # as the solution writes it (typed, it is 4x2)
    assert typed(problem.parts[0].answer, problem.parts[0].kind) == "4x2" and "0 of 1 part right" in out


def test_practice_wraps_long_feedback_and_hints_under_the_question(capsys, monkeypatch):
    answer = "U = [[1,0,0],[0,1,0],[0,0,1]]; S = [[15,0],[0,0],[0,0]]; V = [[1,0],[0,1]]"
    code, out, _ = run(capsys, "practice", "-t", "svd", "-l", "free-response", "--seed", "1", "-n", "1",
                       stdin=f"?\n{answer}\n", monkeypatch=monkeypatch)
    said = [line for line in out.splitlines() if line.startswith("  ")]     # hint, feedback, answer
    assert code == 0 and any("Not a valid SVD" in line for line in said) and len(said) > 3
    assert all(len(line) <= TEXT_WIDTH for line in said), [line for line in said if len(line) > TEXT_WIDTH]


def test_practice_quits_cleanly_on_q_and_end_of_input(capsys, monkeypatch):
    code, out, err = run(capsys, "practice", "-t", "matmul", "--seed", "1", stdin="q\n",
                         monkeypatch=monkeypatch)
    assert code == 0 and "No problems answered." in out and not err
    code, out, err = run(capsys, "practice", "-t", "matmul", "--seed", "1", stdin="",
                         monkeypatch=monkeypatch)
    assert code == 0 and not err


def test_practice_interleaves_topics_in_turn(capsys, monkeypatch):
    code, out, _ = run(capsys, "practice", "-t", "matmul", "-t", "matmul", "--level", "example",
                       "--seed", "1", "-n", "2", stdin="", monkeypatch=monkeypatch)
    assert code == 0 and out.count("── Problem") == 2 and "2 problems read." in out


def test_installed_entry_point_runs_as_a_module():
    proc = subprocess.run([sys.executable, "-m", "drills", "generate", "--topic", "matmul", "--seed", "1"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and json.loads(proc.stdout)["seed"] == 1


@pytest.mark.parametrize("topic", list(TOPICS))
def test_learn_fits_one_screen_and_names_its_reading(topic):
    result = CliRunner().invoke(cli, ["learn", topic])
    assert result.exit_code == 0, result.output
    lines = result.output.rstrip("\n").split("\n")
    assert len(lines) <= 48 and max(map(len, lines)) <= TEXT_WIDTH
    assert "Reading:" in result.output and f"--topic {topic}" in result.output


@pytest.mark.parametrize("topic", list(TOPICS))
def test_learn_writes_every_minus_sign_the_same_way(topic):
    """Formulas in the prose go through the math filter, as the displayed ones do, so one page
    never mixes the minus sign of its formulas (U+2212 in prose, '-' in terminal maths)."""
    from drills.render import templates_dir
    assert "−" not in (templates_dir() / topic / "learn.j2").read_text(encoding="utf-8")


def test_learn_unknown_topic_is_one_line():
    assert main(["learn", "nope"]) == 1


def test_a_bug_is_one_line_unless_debugging(monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("drills.problem.generate", broken)
    assert main(["generate", "--topic", "matmul", "--seed", "1"]) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: RuntimeError: boom" in err
    monkeypatch.setenv("DRILLS_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["generate", "--topic", "matmul", "--seed", "1"])


def test_a_missing_dependency_says_what_to_install(monkeypatch, capsys):
    from drills.schedule import _lazy

    with pytest.raises(ModuleNotFoundError) as missing:
        _lazy("no_such_package_here")
    assert missing.value.name == "no_such_package_here"

    def uninstalled(*args, **kwargs):
        raise missing.value

    monkeypatch.setattr("drills.problem.generate", uninstalled)
    assert main(["generate", "--topic", "matmul", "--seed", "1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'no_such_package_here' is not installed" in err and "pip install" in err


@pytest.mark.parametrize("topic", list(TOPICS))
def test_learn_in_tex_leaves_no_symbol_pdflatex_cannot_set(topic):
    result = CliRunner().invoke(cli, ["learn", topic, "--format", "tex"])
    assert result.exit_code == 0
    assert not {c for c in result.output if ord(c) > 127} - set("éèàüö§"), result.output


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="pdflatex is not installed")
def test_learn_in_tex_compiles(tmp_path):
    """Each note in LaTeX is a document of its own: prose such as X_b or a code line must not reach
    pdflatex unescaped, and the command it ends with keeps its two hyphens."""
    for topic in TOPICS:
        note = CliRunner().invoke(cli, ["learn", topic, "--format", "tex"]).output
        assert f"drills practice -{{}}-topic {topic}" in note
        (tmp_path / f"{topic}.tex").write_text(note, encoding="utf-8")
        done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", f"{topic}.tex"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, [line for line in done.stdout.splitlines() if line.startswith("!")]


@pytest.mark.parametrize("fmt,start,heading", [
    ("html", "<!doctype html>", "<h1>Singular value decomposition</h1>"),
    ("md", "# Singular value decomposition", "# Singular value decomposition"),
    ("tex", "\\documentclass", "\\section*{Singular value decomposition}"),
])
def test_learn_writes_a_whole_document_as_generate_does(fmt, start, heading):
    """Like `generate --format html|md|tex`: a document (doctype and charset, or the preamble),
    titled by a heading rather than by an upper-case line."""
    note = CliRunner().invoke(cli, ["learn", "svd", "--format", fmt]).output
    assert note.startswith(start) and heading in note and "SINGULAR VALUE" not in note
    assert "σ₁ ≥ σ₂" in note or fmt == "tex"
    if fmt == "html":
        assert '<meta charset="utf-8">' in note and "<title>Singular value decomposition</title>" in note
        assert note.rstrip().endswith("</html>")
    if fmt == "tex":
        assert "\\begin{document}" in note and note.rstrip().endswith("\\end{document}")


@pytest.mark.parametrize("encoding,argv", [
    ("cp1252", ["generate", "-t", "gd-step", "--seed", "7"]),         # Windows' encoding for `> p.json`
    ("cp1252", ["topics", "--format", "json"]),
    ("latin-1", ["learn", "svd"]),
    ("latin-1", ["fit", "sample:textbook", "-y", "y"]),
])
def test_output_to_a_file_or_pipe_is_utf8_whatever_the_locale(encoding, argv):
    done = subprocess.run([sys.executable, "-m", "drills", *argv], capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": encoding})
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert not done.stderr and any(ord(c) > 255 for c in done.stdout.decode("utf-8"))


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_terminal_that_cannot_show_a_symbol_shows_a_question_mark():
    ours, theirs = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "drills", "learn", "svd"], stdout=theirs,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONIOENCODING": "latin-1"})
    os.close(theirs)
    shown = b""
    while True:
        try:
            chunk = os.read(ours, 4096)
        except OSError:                         # EIO: the command has closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(ours)
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    proc.stderr.close()
    assert "A = U?V?" in shown.decode("latin-1")


@pytest.mark.skipif(sys.platform == "win32", reason="closes a file descriptor before the command starts")
@pytest.mark.parametrize("argv,code,said", [
    (["practice", "-t", "matmul", "-n", "1"], 0, "No problems answered."),
    (["check", "-", "-a", "a=1"], 1, "drills: error: no input: stdin is empty (or closed)"),
    (["grade", "-"], 1, "drills: error: -: no input (stdin is empty or closed)"),
])
def test_a_closed_stdin_reads_as_an_empty_one(tmp_path, argv, code, said):
    done = subprocess.run([sys.executable, "-m", "drills", *argv], capture_output=True, text=True, timeout=120,
                          preexec_fn=lambda: os.close(0), env={**os.environ, "DRILLS_HOME": str(tmp_path)})
    assert done.returncode == code and said in done.stdout + done.stderr, done.stderr
    assert "internal error" not in done.stderr


def test_deeply_nested_json_is_one_clean_line_everywhere(capsys, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000, encoding="utf-8")
    params = tmp_path / "params.json"
    params.write_text('{"A": ' + "[" * 100_000 + "]" * 100_000 + ', "B": [[1]]}', encoding="utf-8")
    for argv, code in ((["check", str(deep), "-a", "a=1"], 1), (["progress", "--import", str(deep)], 1),
                       (["generate", "-t", "matmul", "--params", str(params)], 2)):
        got, _, err = run(capsys, *argv)
        assert got == code and "nested too deeply" in err and len(err.splitlines()) == 1, err[:300]
    got, _, err = run(capsys, "generate", "-t", "matmul", "--params", "[" * 100_000)     # neither JSON nor a file
    assert got == 2 and "not a JSON object nor a readable file" in err and len(err.splitlines()) == 1


def test_a_reader_that_leaves_early_ends_drills_quietly_with_0():
    """`drills topics | head -1` under `set -o pipefail`: the reader has gone, nothing failed."""
    proc = subprocess.Popen([sys.executable, "-m", "drills", "topics"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()                         # before drills writes a line
    assert proc.wait(timeout=120) == 0
    assert proc.stderr.read() == b""
    proc.stderr.close()


def test_ctrl_c_says_interrupted_in_one_line(capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr("drills.fitting.run_fit", interrupted)
    assert main(["fit", "sample:textbook", "-y", "y"]) == 130
    assert capsys.readouterr().err == "drills: interrupted\n"


def test_practice_help_says_rows_one_per_line_are_for_a_terminal(capsys):
    code, out, _ = run(capsys, "practice", "--help")
    assert code == 0 and "at a terminal one row per line" in out and "one line per part (a matrix too)" in out


@pytest.mark.parametrize("command", ["practice", "generate", "check", "grade", "progress", "learn", "topics",
                                     "review", "check-code", "fit"])
def test_help_shows_examples_whose_options_exist(capsys, command):
    import re
    import shlex

    code, out, _ = run(capsys, command, "--help")
    examples = out.split("Examples:\n")[1].split("\n\n")[0].splitlines()
    assert code == 0 and 2 <= len(examples) <= 4 and max(map(len, out.splitlines())) <= 100
    assert sum(f"drills {command}" in line for line in examples) >= 2
    for line in examples:
        words = shlex.split(re.split(r"\s{2,}", line.strip())[0])       # the command, not its comment
        segments = [[]]                                                  # split at | and >
        for word in words:
            segments.append([]) if word in ("|", ">") else segments[-1].append(word)
        for name, *args in (seg[1:] for seg in segments if seg[:1] == ["drills"]):
            options = {o for p in cli.commands[name].params for o in p.opts + p.secondary_opts}
            assert all(w in options or not w.startswith("-") or w == "-" for w in args), line
