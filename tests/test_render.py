"""Terminal text wraps as textwrap would wrap it, at a fraction of the cost; formats are checked."""
import shutil
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drills import render

WORDS = st.sampled_from(["a", "θ₀", "(1/2)", "x" * 30, "y" * 87, "z" * 88, "w" * 89, "⎡", "−3,",
                         "\u2003", "\xa0"])
SPACES = st.sampled_from([" ", " ", "  ", "   ", "\t"])


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(WORDS, SPACES), min_size=1, max_size=40), st.booleans(), st.booleans())
def test_lines_wrap_as_textwrap_wraps_them(pieces, leading, trailing):
    line = (" " if leading else "") + "".join(w + s for w, s in pieces)
    line = line if trailing else line.rstrip(" \t")
    want = textwrap.fill(line, render.TEXT_WIDTH, break_on_hyphens=False)
    assert render._fill.__wrapped__(line) == want


def test_template_lines_take_the_quick_route(monkeypatch):
    line = ("with learning rate η = 1/12. Stochastic gradient descent visits the samples (the rows "
            "of X, numbered from 1) in the order 4, 1, 3; take the first 3 updates.")
    want = textwrap.fill(line, render.TEXT_WIDTH, break_on_hyphens=False)
    monkeypatch.setattr(render.textwrap, "fill", None)
    assert render._fill.__wrapped__(line) == want


def test_an_unknown_format_is_a_drills_error():
    from drills import generate
    from drills.errors import DrillsError

    with pytest.raises(DrillsError, match="unknown format 'latex'.*text, md, html, tex"):
        generate("matmul", seed=1, fmt="latex")


def test_fractions_in_a_latex_matrix_are_full_size_on_spaced_rows():
    from fractions import Fraction

    latex = render.LatexFormatter()
    assert latex.matrix([[1, Fraction(-2, 3)], [0, 1]]) == r"\begin{bmatrix} 1 & -\dfrac{2}{3} \\[1em] 0 & 1 \end{bmatrix}"
    assert latex.matrix([[1, 2], [3, 4]]) == r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}"
    assert latex.number(Fraction(1, 2)) == r"\frac{1}{2}"                   # in running text as before


@given(st.lists(st.one_of(st.integers(-10**6, 10**6), st.fractions(max_denominator=50), st.floats(-100, 100)),
                min_size=1, max_size=6))
def test_a_text_vector_is_its_column_matrix(values):
    text = render.TextFormatter()
    assert text.vector(values) == text.matrix([[v] for v in values])
    assert text.math_item(values) == render.Formatter.vector(text, values)


def test_a_line_breaks_beside_no_relation_sign():
    line = ("The dot product and the lengths give the angle: a·b = |a||b| cos θ, and so "
            "cos θ = a·b/(|a||b|), the cosine of the angle between them.")
    lines = render._fill.__wrapped__(line).split("\n")
    assert len(lines) == 2 and all(len(s) <= render.TEXT_WIDTH for s in lines)
    assert "cos θ = a·b/(|a||b|)," in lines[1] and not lines[0].endswith("=")


@pytest.mark.parametrize("topic", ["partial-derivatives", "vectors", "sgd", "gd-step"])
def test_text_problems_fit_the_terminal_but_for_displayed_matrices(topic):
    from drills import generate

    for level in ("example", "fill-in"):
        for seed in range(12):
            p = generate(topic, level, seed=seed)
            long = [s for s in (p.prompt + "\n" + p.solution).split("\n") if len(s) > render.TEXT_WIDTH]
            assert all("[ " in s or any(c in s for c in "⎡⎢⎣") for s in long), long


def test_an_inline_formula_is_never_split_across_lines():
    from drills import generate

    for seed in range(20):
        p = generate("sgd", "example", seed=seed)
        if p.params.get("ask") == "minibatch":
            assert "r = X_B θ - y_B," in p.prompt and "␣" not in p.prompt + p.solution
            return
    pytest.fail("no mini-batch example among the seeds")


def test_latex_puts_the_radicand_under_the_root_sign():
    tex = render.LatexFormatter()
    assert tex.symbol("√(4^2 + 3^2) = 5") == r"\sqrt{4^{2} + 3^{2}}  = 5"
    assert tex.symbol("|X_b*θ - y|/√m").endswith(r"/\sqrt{m}")


@pytest.mark.parametrize("fmt,x12,inverse", [
    ("text", "x¹²y", "A⁻¹"),
    ("md", "x^{12}y", "A^{-1}"),
    ("tex", "x^{12}y", "A^{-1}"),
    ("html", "<msup><mi>x</mi><mrow><mn>12</mn></mrow></msup><mi>y</mi>",
     "<msup><mi>A</mi><mrow><mo>−</mo><mn>1</mn></mrow></msup>"),
])
def test_an_exponent_of_several_digits_is_raised_whole(fmt, x12, inverse):
    """x^12 is x¹², never x¹ followed by 2 (which reads as 2x)."""
    from drills import generate

    formatter = render._FORMATTERS[fmt]()
    assert formatter.symbol("x^12y") == x12 and formatter.symbol("A^-1") == inverse
    problem = generate("partial-derivatives", "example", params={"f": "x^12*y + 3*y^10", "wrt": "x"}, fmt=fmt)
    assert x12 in problem.prompt and "¹2" not in problem.prompt and "¹0" not in problem.prompt
    assert "^{1}2" not in problem.prompt and "<mn>1</mn></mrow></msup><mn>2" not in problem.prompt


def test_the_code_in_a_code_level_problem_is_never_wrapped():
    import textwrap as tw

    from drills import generate
    from drills.catalog import TOPICS

    for topic, info in TOPICS.items():
        if "code" not in info.levels:
            continue
        p = generate(topic, "code", seed=0)
        for text in (p.prompt, p.solution):
            block = [line for line in text.split("\n") if line.startswith("    ") or not line.strip()]
            code = tw.dedent("\n".join(block).strip("\n"))
            compile(code, f"{topic}-code", "exec")              # a wrapped line would not parse


def test_colour_codes_take_no_columns_when_feedback_is_wrapped():
    import click

    from drills.terminal import wrapped

    plain = "  (a) ✗ Not correct: UΣVᵀ ≠ A: its entry (1, 1) is -9, not 9. " + "Check the signs. " * 6
    coloured = plain.replace("✗", click.style("✗", fg="red", bold=True))
    assert click.unstyle(wrapped(coloured)) == wrapped(plain)
    assert all(len(line) <= render.TEXT_WIDTH for line in wrapped(plain).split("\n"))


def _code_problems(fmt):
    """One code-level problem of every exercise, in `fmt`."""
    from drills import generate
    from drills.coding import TOPIC_EXERCISES

    return [generate(topic, "code", params={"exercise": name, "seed": 123456}, fmt=fmt)
            for topic, names in TOPIC_EXERCISES.items() for name in names]


def test_code_level_prose_shows_code_as_each_format_does():
    """No Markdown backticks in HTML or LaTeX prose, and a command's -- stays two hyphens in LaTeX."""
    import re

    for problem in _code_problems("html"):
        prose = re.sub(r"<pre>.*?</pre>", "", problem.prompt, flags=re.DOTALL)
        assert "`" not in prose and "<code>drills practice --level code</code>" in prose, problem.id
    for problem in _code_problems("tex"):
        prose = re.sub(r"\\begin\{verbatim\}.*?\\end\{verbatim\}", "", problem.prompt, flags=re.DOTALL)
        assert "`" not in prose and r"\texttt{drills practice -{}-level code}" in prose, problem.id
    (batch,) = [p for p in _code_problems("html") if p.params["exercise"] == "batch_gd"]
    assert "<code>epochs</code>" in batch.prompt


def test_code_level_text_fits_80_columns_and_its_files_79():
    """The starter file and the model solution: lines a linter takes (79), and in the terminal,
    indented as code, within 80 columns."""
    from drills.coding import TOPIC_EXERCISES, starter_text
    from grader.code import exercise

    for problem in _code_problems("text"):
        for line in (problem.prompt + "\n" + problem.solution).split("\n"):
            assert len(line) <= render.TEXT_WIDTH, (problem.id, line)
    for topic, names in TOPIC_EXERCISES.items():
        for name in names:
            for line in (starter_text(topic, name, 123456) + exercise(name).solution).split("\n"):
                assert len(line) <= 79, line


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="pdflatex is not installed")
def test_code_level_latex_keeps_its_code_within_the_margins(tmp_path):
    import subprocess

    problems = _code_problems("tex")
    text = render.environment("tex").get_template("document.tex.j2").render(
        title="Code", problems=problems, show_solutions=True)
    (tmp_path / "code.tex").write_text(text, encoding="utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "code.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, [line for line in done.stdout.splitlines() if line.startswith("!")]
    log = (tmp_path / "code.log").read_text(encoding="latin-1")
    assert "Overfull \\hbox" not in log


def test_template_calls_pass_the_context_to_the_functions_that_take_it():
    env = render.environment("text")
    labelled = env.from_string(
        '{% macro ask(key, end=".") %}{{ label(key) }} {{ math(key) }}{{ end }}{% endmacro %}'
        '{{ ask("p") }} {{ ask("q", end="?") }}{% for key in ["p", "q"] %} {{ label(key) }}{% endfor %}')
    assert labelled.render(labels={"p": "a", "q": "b"}) == "(a) p. (b) q? (a) (b)"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b c", "\n", " ", "⎡ 1 ⎤"]), max_size=15), st.sampled_from(render.FORMATS))
def test_tidied_text_keeps_single_blank_lines(pieces, fmt):
    import re

    text = "".join(pieces)
    tidied = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    want = re.sub(r"\n{3,}", "\n\n", tidied)
    assert render._tidy(text, fmt) == (render._html_paragraphs(want) if fmt == "html" else want)
