"""Interactive practice as a learner meets it at a terminal: answers over several lines, matrices
row by row, hints and help, the answer shown after a retry, the summary, and the width of it all."""
import io
import json
import subprocess
import sys

import click
import pytest

from drills import generate
from drills.catalog import TOPICS
from drills.cli import main
from drills.practice import HELP, the_answer
from drills.progress import Store
from drills.terminal import TEXT_WIDTH, columns


def at_a_terminal(monkeypatch, lines):
    """practice reads `lines` as typed at a terminal (then q); returns the prompts it showed."""
    asked, typed = [], iter(lines)

    def read(prompt):
        asked.append(prompt)
        return next(typed, "q")
    monkeypatch.setattr("drills.practice.Console.standard",
                        classmethod(lambda cls, color=None: cls(read, True, False)))
    return asked


def practise(capsys, *argv):
    code = main(["practice", *argv])
    return code, capsys.readouterr().out


def words(text):
    """text with its lines joined, as wrapped feedback reads."""
    return " ".join(text.split())


def stored():
    with Store.open() as store:
        return store.attempts()


@pytest.mark.parametrize("text, still_open", [
    ("[[ 13 -12  -3]", 1), ("[[1, 2], [3, 4]]", 0), ("[1 2", 1), ("2x(wx + b", 1), ("e^{-x", 1),
    ("1 2]", 0), ("[[1, 2],\n [3, 4]]", 0),
])
def test_open_brackets_counts_what_is_left_open(text, still_open):
    from grader.parse import open_brackets

    assert open_brackets(text) == still_open


def continued(asked):
    return sum(p.strip().startswith("…") for p in asked)


MATMUL_3 = ["-t", "matmul", "-l", "free-response", "--seed", "3", "-n", "1"]


@pytest.mark.parametrize("lines", [
    ["[[ 13 -12  -3]", " [-12  12   4]", " [ -3   0  -3]]"],        # print(A @ B) in NumPy
    ["[13 -12 -3", "-12 12 4", "-3 0 -3]"],                          # the README's [1 2 ⏎ 3 4]
    ["[[13, -12, -3], [-12, 12, 4],", "[-3, 0, -3]]"],
    ["[[13, -12, -3],\n [-12, 12, 4],\n [-3, 0, -3]]"],             # pasted at once (readline)
])
def test_a_matrix_with_its_brackets_open_goes_on_over_lines_until_they_close(capsys, monkeypatch, lines):
    asked = at_a_terminal(monkeypatch, lines)
    code, out = practise(capsys, *MATMUL_3)
    assert code == 0 and "✓ Correct." in out and "Could not read" not in out
    assert continued(asked) == len(lines) - 1
    [attempt] = stored()
    assert attempt.parts[0].score == 1 and attempt.parts[0].answer == "\n".join(lines)


def test_an_empty_line_sends_an_answer_whose_bracket_stays_open_and_it_is_not_counted(capsys, monkeypatch):
    at_a_terminal(monkeypatch, ["[[13, -12, -3]", "", "13 -12 -3; -12 12 4; -3 0 -3"])
    code, out = practise(capsys, *MATMUL_3)
    assert "is never closed" in words(out) and "✓ Correct." in out
    assert stored()[0].parts[0].score == 1              # the unreadable one was not the first answer


def test_piped_answers_stay_one_line_a_part_even_with_a_bracket_open(capsys, monkeypatch):
    problem = generate("normal-equation", "fill-in", seed=3)
    rest = [p.answer if isinstance(p.answer, str) else json.dumps(p.answer) for p in problem.parts[1:]]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(["[[3, 12],", *rest]) + "\n"))
    code, out = practise(capsys, "-t", "normal-equation", "-l", "fill-in", "--seed", "3", "-n", "1")
    assert code == 0 and "Could not read" in out
    assert out.count("✓ Correct.") == len(problem.parts) - 1
    assert [p.answer for p in stored()[0].parts] == ["[[3, 12],", *rest]


def test_a_matrix_typed_row_by_row_ends_with_an_empty_line_not_at_the_answers_row_count(capsys, monkeypatch):
    # A (3×2) typed for Aᵀ (2×3): all three rows are read, and the real mistake is named
    asked = at_a_terminal(monkeypatch, ["4 1", "-4 0", "0 -3", "", ""])
    code, out = practise(capsys, "-t", "transpose", "-l", "free-response", "--seed", "3", "-n", "1")
    assert "your answer is a 3×2 matrix" in out and "That is A itself" in out
    assert continued(asked) == 3
    assert stored()[0].parts[0].answer == "4 1\n-4 0\n0 -3"


def test_a_row_of_the_wrong_length_is_asked_again_and_the_rows_before_it_kept(capsys, monkeypatch):
    asked = at_a_terminal(monkeypatch, ["13 -12 -3", "-12 12 4", "-3 0", "-3 0 -3", ""])
    code, out = practise(capsys, *MATMUL_3)
    assert "Row 3 has 2 entries but row 1 has 3" in out and "✓ Correct." in out
    assert "row 3 again" in asked[3]
    [attempt] = stored()
    assert attempt.parts[0].score == 1 and attempt.parts[0].answer == "13 -12 -3\n-12 12 4\n-3 0 -3"


def test_a_row_that_cannot_be_read_is_asked_again_and_enter_there_starts_over(capsys, monkeypatch):
    asked = at_a_terminal(monkeypatch, ["13 -12 -3", "-12 x 4", "", "13 -12 -3; -12 12 4; -3 0 -3"])
    code, out = practise(capsys, *MATMUL_3)
    assert "Could not read row 2 (unexpected word 'x'" in words(out) and "Starting over" in out
    assert len(asked) == 4 and asked[3].startswith("(a)") and "✓ Correct." in out   # no lone row graded
    assert stored()[0].parts[0].score == 1


def test_a_question_mark_on_a_continuation_line_gives_the_hint_and_keeps_the_rows(capsys, monkeypatch):
    at_a_terminal(monkeypatch, ["13 -12 -3", "?", "-12 12 4", "-3 0 -3", ""])
    code, out = practise(capsys, *MATMUL_3)
    assert "Hint:" in out and "✓ Correct." in out and "Could not read" not in out
    [attempt] = stored()
    assert attempt.parts[0].hint and attempt.parts[0].score == 1
    assert "1 of 1 part right first time (100%), 1 with a hint." in out


def test_help_is_shown_once_a_session_and_on_asking(capsys, monkeypatch):
    problem = generate("mse", "fill-in", seed=5)
    answers = [p.answer if isinstance(p.answer, str) else json.dumps(p.answer) for p in problem.parts]
    at_a_terminal(monkeypatch, ["help", "hint", "", *answers, ""])        # "": on to problem 2, then q
    code, out = practise(capsys, "-t", "mse", "-l", "fill-in", "--seed", "5", "-n", "2")
    assert out.count("── Problem") == 2 and out.count(HELP) == 2 and "unexpected word" not in out
    assert "Type an answer, ? for a hint, or q to stop." in out and out.count("Hint:") == 1   # 'hint' is ?
    assert [p.answer for p in stored()[0].parts] == answers
    assert columns(HELP) <= TEXT_WIDTH


def test_the_help_line_is_dim_and_not_shown_to_piped_sessions(capsys, monkeypatch):
    from drills.practice import Console, run

    lines = iter(["q"])
    console = Console(lambda prompt: next(lines), True, color=True)
    run([generate("matmul", seed=3)], console)
    assert click.style(HELP, dim=True) in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    code, out = practise(capsys, *MATMUL_3)
    assert HELP not in out


@pytest.mark.parametrize("topic, level, seed, key, shown", [
    ("partial-derivatives", "free-response", 3, "a", "The answer: 2wx² + 2bx - 2xy"),
    ("normal-equation", "fill-in", 3, "a", "⎡  3  12 ⎤\n            ⎣ 12  50 ⎦"),
    ("gd-step", "fill-in", 0, "a", "The answer: x - 2"),
])
def test_the_answer_after_a_failed_retry_is_written_as_the_solution_writes_it(topic, level, seed, key, shown):
    problem = generate(topic, level, seed=seed)
    part = next(p for p in problem.parts if p.key == key)
    text = the_answer(part)
    assert shown in text and "[[" not in text and "*" not in text
    for line in text.removeprefix("The answer: ").split("\n"):
        assert line.strip().removeprefix("The answer: ") in problem.solution


def test_the_answer_is_shown_in_the_solutions_notation_in_a_session(capsys, monkeypatch):
    at_a_terminal(monkeypatch, ["1 2; 3 4", "1 2; 3 4"])
    code, out = practise(capsys, "-t", "normal-equation", "-l", "fill-in", "--seed", "3", "-n", "1")
    assert "The answer: ⎡  3  12 ⎤" in out and "[[3, 12], [12, 50]]" not in out


@pytest.mark.parametrize("argv, lines", [
    (MATMUL_3, ["[[1, 2", ""]),                                           # a bracket never closed
    (["-t", "matmul", "-l", "fill-in", "--seed", "11", "-n", "1"], ["3x2", ""]),   # BA's shape
    (["-t", "gd-step", "-l", "free-response", "--seed", "1", "-n", "1"], ["?", "3/2", ""]),
])
def test_every_line_fits_and_wrapped_feedback_hangs_once(capsys, monkeypatch, argv, lines):
    at_a_terminal(monkeypatch, lines)
    code, out = practise(capsys, *argv)
    lines = out.splitlines()
    assert all(columns(line) <= TEXT_WIDTH for line in lines), max(lines, key=columns)
    said = [line for line in lines if line.startswith("  ") and not line.lstrip().startswith(("⎡", "⎢", "⎣"))]
    assert any(line.startswith("    ") for line in said)          # a diagnosis, or a line wrapped
    assert all(len(line) - len(line.lstrip(" ")) in (2, 4) for line in said), said


@pytest.mark.parametrize("topic", TOPICS)
def test_every_problem_header_fits_the_terminal(capsys, monkeypatch, topic):
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    code, out = practise(capsys, "-t", topic, "-l", "free-response", "--seed", str(2**62), "-n", "1")
    head = out.lstrip("\n").split("\n")[:2]
    assert code == 0 and TOPICS[topic].title in head[0] and f"seed {2**62}" in " ".join(head)
    assert all(columns(line) <= TEXT_WIDTH for line in head), head


def test_a_summary_after_q_or_ctrl_c_says_the_answers_are_saved(capsys, monkeypatch):
    at_a_terminal(monkeypatch, ["2x3"])                 # part a, then q
    code, out = practise(capsys, "-t", "matmul", "-l", "fill-in", "--seed", "11", "-n", "1")
    assert out.rstrip().endswith("Stopped: your answers are saved (the parts not answered count as wrong).")
    at_a_terminal(monkeypatch, [])
    code, out = practise(capsys, "-t", "matmul", "-l", "fill-in", "--seed", "11", "-n", "1")
    assert out.rstrip().endswith("No problems answered.")          # nothing to save


def test_at_a_terminal_ctrl_c_and_ctrl_d_end_the_prompts_line_and_readline_loads_at_the_first_read():
    script = """
import builtins, sys
from drills.practice import Console, Quit

class Terminal:
    def isatty(self):
        return True

sys.stdin = Terminal()
console = Console.standard(color=False)
print("before:", "readline" in sys.modules)
answers = iter([EOFError, KeyboardInterrupt])

def typed(prompt):
    print(prompt, end="")
    print("during:", "readline" in sys.modules, end="")
    raise next(answers)
builtins.input = typed
try:
    console.ask("(a) x: ")
except Quit:
    print("quit")
try:
    console.ask("(b) y: ")
except KeyboardInterrupt:
    print("interrupted")
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60).stdout
    assert out.splitlines() == ["before: False", "(a) x: during: True", "quit",
                                "(b) y: during: True", "interrupted"]


def test_a_python_without_readline_still_reads_at_a_terminal():
    script = """
import builtins, sys
sys.modules["readline"] = None            # as on Windows: importing it fails
from drills.practice import Console

class Terminal:
    def isatty(self):
        return True

sys.stdin = Terminal()
builtins.input = lambda prompt: "7"
print(Console.standard().ask("(a) x: "))
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.stdout == "7\n", proc.stderr


def test_in_a_tall_problem_each_blanks_line_is_shown_again_above_its_question(capsys, monkeypatch):
    problem = generate("mse", "fill-in", seed=5)
    assert problem.prompt.count("\n") > 20                      # taller than a terminal
    at_a_terminal(monkeypatch, ["q"])
    _, out = practise(capsys, "-t", "mse", "-l", "fill-in", "--seed", "5", "-n", "1")
    blank_line = next(line for line in problem.prompt.splitlines() if "(a) ______" in line)
    assert out.count(blank_line.strip()) == 2                   # in the problem, and above (a)'s question
    monkeypatch.undo()                                          # piped: a transcript shows it once
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    _, piped = practise(capsys, "-t", "mse", "-l", "fill-in", "--seed", "5", "-n", "1")
    assert piped.count(blank_line.strip()) == 1


def test_a_rounded_decimal_is_asked_again_without_using_up_the_try(capsys, monkeypatch):
    from fractions import Fraction

    from grader.values import typed

    def wanted(problem) -> bool:       # steps on f, blank (d) a fraction with no exact decimal, such as -8/3
        steps = "x0" in problem.params and "ask" not in problem.params and len(problem.parts) > 3
        d = problem.parts[3].answer if steps else None
        return isinstance(d, str) and 10**6 % Fraction(d).denominator != 0

    seed = next(s for s in range(200) if wanted(generate("gd-step", "fill-in", seed=s)))
    problem = generate("gd-step", "fill-in", seed=seed)
    d = Fraction(problem.parts[3].answer)
    first = [typed(p.answer, p.kind) for p in problem.parts[:3]]
    asked = at_a_terminal(monkeypatch, [*first, f"{float(d):.2f}", str(d), "q"])
    _, out = practise(capsys, "-t", "gd-step", "-l", "fill-in", "--seed", str(seed), "-n", "1")
    assert [p.split(")")[0] for p in asked].count("(d") == 2                # asked again after the decimal
    assert "rounded" in out and "Try once more" not in out
    (attempt,) = stored()
    assert attempt.parts[3].score == 1                                     # d counted as the first answer


def test_the_answer_keeps_subscripted_names_apart():
    from grader import Kind, Part

    assert the_answer(Part("a", Kind.EXPRESSION, "2*w_1*x_1 + b")) == "The answer: 2w₁ x₁ + b"


def test_a_wrong_choice_gets_no_second_try(capsys, monkeypatch):
    problem = generate("gd-step", "free-response", seed=1)
    choice = next(p for p in problem.parts if p.choices)
    wrong = next(c for c in choice.choices if c != choice.answer)
    lines = [wrong if p is choice else (p.answer if isinstance(p.answer, str) else json.dumps(p.answer))
             for p in problem.parts]
    asked = at_a_terminal(monkeypatch, lines)
    _, out = practise(capsys, "-t", "gd-step", "-l", "free-response", "--seed", "1", "-n", "1")
    assert sum(p.startswith(f"({choice.key})") for p in asked) == 1 and "Try once more" not in out
    assert "The answer: " + choice.answer in out


def test_a_skill_the_schedule_chooses_says_why(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    _, out = practise(capsys, "-n", "1")                               # an empty store: the first new skill
    assert out.splitlines()[0] == "Next: matmul (fill-in), new."
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    _, out = practise(capsys, *MATMUL_3)                                # a topic asked for: nothing to explain
    assert "Next:" not in out
