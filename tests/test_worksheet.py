"""Worksheets: sheet IDs, variants per student, the printed documents and `drills worksheet`."""
import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from drills import generate
from drills.catalog import CHANGED_IN, GENERATOR_VERSION, TOPICS, topic_module
from drills.cli import main
from drills.errors import DrillsError
from drills.sheetid import ALPHABET, SHEET_LEVELS, SheetIdError, decode, sheet_spec
from drills.worksheet import (answer_sheet, default_title, make_sheets, read_roster, render_document,
                              sheet_problems)
from grader import grade_part
from grader.values import typed

VERSIONS_FILE = Path(__file__).parent / "data" / "generator_versions.json"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# ---- sheet IDs -------------------------------------------------------------------------------

@pytest.mark.parametrize("topics,level,count,seed", [
    (["matmul"], "free-response", 1, 0),
    (["inverse", "matmul", "sgd"], "fill-in", 6, 12345),
    (list(TOPICS), "free-response", 64, 2**24 - 1),
    (["svd"], "fill-in", 7, 10**15),
])
def test_sheet_id_round_trips(topics, level, count, seed):
    spec = sheet_spec(topics, level, count, seed)
    assert spec.topics == tuple(t for t in TOPICS if t in topics)     # catalog order
    assert decode(spec.id) == spec
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{1,4})+", spec.id)
    if seed < 2**24:
        assert len(spec.id) == 14                                      # 12 characters in 3 groups
    # typed loosely: lower case, spaces, O for 0, l for 1
    loose = spec.id.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert decode(loose) == spec


def test_every_mistyped_character_and_most_swaps_are_caught():
    raw = sheet_spec(["matmul", "gd-step"], "fill-in", 5, 987654).id.replace("-", "")
    for i in range(len(raw)):
        for c in ALPHABET:
            if c != raw[i]:
                with pytest.raises(SheetIdError):
                    decode(raw[:i] + c + raw[i + 1:])
    for i in range(len(raw) - 1):
        a, b = raw[i], raw[i + 1]
        if a != b and {a, b} != {"0", "Z"}:            # Luhn mod 32's one blind swap
            with pytest.raises(SheetIdError, match="check character"):
                decode(raw[:i] + b + a + raw[i + 2:])


@pytest.mark.parametrize("text,fragment", [
    ("", "empty"), ("ABC-DEF", "too short"), ("ABCD-EFGH-JK!U", "characters no sheet ID has"),
])
def test_unreadable_ids_say_why(text, fragment):
    with pytest.raises(SheetIdError, match=fragment):
        decode(text)


def test_ids_of_other_generator_versions_are_refused():
    spec = sheet_spec(["matmul"], "free-response", 3, 5)
    newer = replace(spec, version=GENERATOR_VERSION + 1)
    with pytest.raises(SheetIdError, match="newer drills.*upgrade"):
        decode(newer.id)
    with pytest.raises(SheetIdError, match="older drills.*cannot rebuild.*never graded against different"):
        decode(replace(spec, version=1).id)
    assert decode(replace(spec, version=2).id).version == 2      # still rebuilt, by its own rules


@pytest.mark.parametrize("level", ["free-response", "fill-in"])
def test_a_classs_variants_ask_the_same_kind_of_question_at_each_number(level):
    from drills.gradebook import question_kind

    spec = sheet_spec([t for t, info in TOPICS.items() if level in info.levels], level, 22, 9)
    sheets = make_sheets(spec, ["Ada", "Bob", "Cy", "Dee", "Eve"])
    differing = alike = 0
    for number in range(spec.count):
        problems = [s.problems[number] for s in sheets]
        alike += len({p.id for p in problems}) < len(problems)    # (y - (wx + b))² has two questions only
        assert all(p.seed is None for p in problems)             # their params rebuild them; their seed would not
        assert len({question_kind(p.topic, p.parts[0].label) for p in problems}) == 1, number
        # later parts too, where every variant has them; a free-response problem has as many
        # parts on every sheet, but for SGD's updates (redrawn with the data until they are hand-sized)
        shared = min(len(p.parts) for p in problems)
        if level == "free-response" and problems[0].topic != "sgd":
            assert len({len(p.parts) for p in problems}) == 1, number
        differing += any(len({question_kind(p.topic, p.parts[k].label) for p in problems}) > 1 for k in range(shared))
    assert differing <= 2 and alike <= 3, (differing, alike)
    from drills.sheetid import MAX_FORM_DRAWS
    assert all(getattr(topic_module(t), "FORM_DRAWS", 1) <= MAX_FORM_DRAWS for t in TOPICS)   # a sheet gives that many
    old = replace(spec, version=2)                  # version 2 drew each variant's forms anew
    assert any(len({s.problems[n].parts[0].label for s in make_sheets(old, ["Ada", "Bob", "Cy"])}) > 1
               for n in range(old.count))


def test_sheet_spec_refuses_bad_requests():
    with pytest.raises(DrillsError, match="unknown topic"):
        sheet_spec(["nope"], "free-response", 3, 1)
    with pytest.raises(DrillsError, match="level"):
        sheet_spec(["matmul"], "example", 3, 1)
    with pytest.raises(DrillsError, match="1 to 64"):
        sheet_spec(["matmul"], "free-response", 65, 1)
    with pytest.raises(DrillsError, match="at least one"):
        sheet_spec([], "free-response", 3, 1)


def _topic_digests() -> dict[str, str]:
    """What a seed makes, topic by topic: params and what each part's score depends on, at every
    level a sheet can have."""
    digests = {}
    for topic, info in TOPICS.items():
        digest = hashlib.sha256()
        for level in (lv for lv in SHEET_LEVELS if lv in info.levels):
            for seed in range(1, 9):
                p = generate(topic, level, seed=seed)
                parts = [{k: d.get(k) for k in ("key", "kind", "answer", "tolerance", "choices", "variables")}
                         for d in (part.to_dict() for part in p.parts)]
                digest.update(json.dumps([p.params, parts], sort_keys=True).encode())
        digests[topic] = digest.hexdigest()
    return digests


def _layout_digest(version: int) -> str:
    """How a sheet of `version` lays its problems out: the topics' order, seeds, forms, variants."""
    spec = replace(sheet_spec(list(TOPICS), "free-response", 12, 2024), version=version)
    plan = [(topic, seed, *([] if form is None else [form])) for topic, seed, form in spec.plan()]
    return hashlib.sha256(json.dumps([list(TOPICS), list(SHEET_LEVELS), plan,
                                      spec.for_student("Ada Lovelace").seed]).encode()).hexdigest()


def test_generator_version_is_bumped_when_generation_changes():
    recorded = json.loads(VERSIONS_FILE.read_text(encoding="utf-8"))
    now = {"layout": _layout_digest(GENERATOR_VERSION), "topics": _topic_digests()}
    version = str(GENERATOR_VERSION)
    if version not in recorded and os.environ.get("DRILLS_RECORD_GENERATOR"):
        recorded[version] = now
        VERSIONS_FILE.write_text(json.dumps(recorded, indent=1) + "\n", encoding="utf-8")
    assert version in recorded, (f"GENERATOR_VERSION {version} is not recorded: run "
                                 "DRILLS_RECORD_GENERATOR=1 python -m pytest tests/test_worksheet.py")
    assert recorded[version] == now, (
        "what a seed generates has changed, so old sheet IDs would rebuild different problems: "
        "bump GENERATOR_VERSION and set CHANGED_IN in drills/catalog.py, then record it with "
        "DRILLS_RECORD_GENERATOR=1 python -m pytest tests/test_worksheet.py")
    records = [json.dumps(r, sort_keys=True) for r in recorded.values()]
    assert len(set(records)) == len(records), "two generator versions record the same problems"
    for old, record in recorded.items():        # an older sheet is rebuilt while its topics are unchanged
        assert _layout_digest(int(old)) == record["layout"], old
        for topic, digest in now["topics"].items():
            # a few seeds may miss a change (mse's only in a few of its study problems): CHANGED_IN may name
            # a topic these seeds see unchanged, never the other way round
            if record["topics"][topic] != digest:
                assert CHANGED_IN.get(topic, 0) > int(old), (
                    f"{topic} has changed since version {old}: CHANGED_IN['{topic}'] must say so")


def test_an_older_sheet_is_rebuilt_only_while_its_topics_are_unchanged():
    changed = next(t for t in TOPICS if CHANGED_IN.get(t, 0) == GENERATOR_VERSION)
    kept = next(t for t in TOPICS if t not in CHANGED_IN)
    old = replace(sheet_spec([kept], "free-response", 3, 5), version=GENERATOR_VERSION - 1)
    assert decode(old.id) == old
    mixed = replace(sheet_spec([kept, changed], "free-response", 3, 5), version=GENERATOR_VERSION - 1)
    with pytest.raises(SheetIdError, match=f"older drills.*its {changed} problems are made differently"):
        decode(mixed.id)


# ---- sheets and variants -----------------------------------------------------------------------

def test_a_sheet_is_the_same_every_time_and_cycles_its_topics():
    spec = sheet_spec(["gd-step", "matmul"], "fill-in", 5, 77)
    first, again = sheet_problems(spec), sheet_problems(decode(spec.id))
    assert [p.to_dict() for p in first] == [p.to_dict() for p in again]
    assert [p.topic for p in first] == ["matmul", "gd-step", "matmul", "gd-step", "matmul"]
    assert len({p.id for p in first}) == 5 and all(p.level == "fill-in" for p in first)
    assert [p.id for p in sheet_problems(sheet_spec(["gd-step", "matmul"], "fill-in", 5, 78))] != [p.id for p in first]


def test_each_student_gets_a_variant_of_their_own():
    spec = sheet_spec(["matmul", "inverse"], "free-response", 4, 3)
    names = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Katherine Johnson"]
    sheets = make_sheets(spec, names)
    assert [s.student for s in sheets] == names and {s.class_id for s in sheets} == {spec.id}
    assert len({s.id for s in sheets} | {spec.id}) == 5
    assert len({tuple(p.id for p in s.problems) for s in sheets}) == 4
    assert spec.for_student("  ada   LOVELACE ") == spec.for_student("Ada Lovelace")
    assert decode(sheets[0].id).seed == spec.for_student("Ada Lovelace").seed
    # the variant depends on the sheet seed, not only on the name
    assert sheet_spec(["matmul", "inverse"], "free-response", 4, 4).for_student("Ada Lovelace").seed != sheets[0].spec.seed


def test_a_typed_answer_of_every_kind_reads_back_as_correct():
    kinds = set()
    for topic in TOPICS:
        for level in ("fill-in", "free-response"):
            for seed in range(12):
                for part in generate(topic, level, seed=seed).parts:
                    text = typed(part.answer, part.kind)
                    kinds.add(part.kind.value)
                    assert "\n" not in text and text.isascii(), (topic, part.key, text)
                    assert grade_part(part, text).score == 1, (topic, level, seed, part.key, text)
    assert kinds == {"number", "vector", "matrix", "shape", "expression", "choice", "svd"}


def test_answer_sheet_has_a_header_and_one_commented_line_per_part():
    spec = sheet_spec(["matmul", "gd-step"], "fill-in", 3, 11)
    [sheet] = make_sheets(spec)
    text = answer_sheet(sheet, "Week 3")
    lines = text.splitlines()
    assert f"sheet: {spec.id}" in lines and "name:" in lines and "# Week 3" in lines
    keys = [k for _, k, _ in sheet.keyed_parts()]
    assert [line.split(":")[0] for line in lines if re.match(r"\d+[a-z]:", line)] == keys
    for key in keys:                                    # a comment saying what each part expects
        comment = lines[lines.index(f"{key}:") - 1]
        assert comment.startswith(f"# {key}: ") and " — " in comment
    filled = answer_sheet(sheet, "Week 3", filled=True)
    for (_, key, part) in sheet.keyed_parts():
        assert f"{key}: {typed(part.answer, part.kind)}" in filled.splitlines()


def test_students_are_told_to_give_exact_answers():
    spec = sheet_spec(["vectors"], "free-response", 2, 3)
    for fmt in ("md", "html", "tex"):
        sheets = make_sheets(spec, fmt=fmt)
        assert "Give exact answers: fractions such as 2/3, not 0.67." in render_document(sheets, "T", fmt)
        assert "exact answers" not in render_document(sheets, "T", fmt, key=True)
    assert "# Give exact answers: fractions such as 2/3, not 0.67." in answer_sheet(make_sheets(spec)[0], "T")


def test_the_default_title_and_the_report_read_as_sentences(capsys, tmp_path):
    spec = sheet_spec(["svd", "normal-equation", "sgd"], "free-response", 1, 3)
    assert default_title(spec) == ("Worksheet: Singular value decomposition, the normal equation "
                                   "and stochastic and mini-batch gradient descent")
    roster = tmp_path / "class.txt"
    roster.write_text("Ada\n", encoding="utf-8")
    code, out, _ = run(capsys, "worksheet", "--id", spec.id, "--students", roster, "-o", tmp_path / "s.md")
    assert code == 0 and f"Worksheet {spec.id}: 1 problem (free response), for 1 student," in out


def test_roster(tmp_path):
    roster = tmp_path / "class.txt"
    roster.write_text("\ufeff# period 2\nAda Lovelace\n\n  Alan   Turing  \nJosé Núñez\n", encoding="utf-8")
    assert read_roster(roster) == ["Ada Lovelace", "Alan Turing", "José Núñez"]
    for text, fragment in [("Ada\nada\n", "same student as line 1"), ("Ann Lee\nann-lee\n", "same student"),
                           ("Zoë O’Neil\nZoe ONeil\n", "same student as line 1"),
                           ("Ada\x1b[1m Bold\n", "line 1: a learner's name cannot hold a control character"),
                           ("# nobody\n\n", "lists no students"), ("Ada\n---\n", "no letters or digits")]:
        roster.write_text(text, encoding="utf-8")
        with pytest.raises(DrillsError, match=fragment):
            read_roster(roster)
    roster.write_text("Ada\nBob\nada\n---\nBOB\n", encoding="utf-8")        # every problem at once
    with pytest.raises(DrillsError, match="line 3: 'ada' is the same student as line 1; line 4: .* "
                                          "line 5: 'BOB' is the same student as line 2; names must differ"):
        read_roster(roster)
    roster.write_bytes(b"Ada\x00\x01")
    with pytest.raises(DrillsError, match="not a text file"):
        read_roster(roster)
    with pytest.raises(DrillsError, match="cannot read roster"):
        read_roster(tmp_path / "missing.txt")


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_a_roster_saved_on_windows_is_read_as_answer_sheets_are(tmp_path, encoding):
    roster = tmp_path / "class.txt"
    roster.write_bytes("Ada Lovelace\r\nJosé Núñez\r\n".encode(encoding))
    assert read_roster(roster) == ["Ada Lovelace", "José Núñez"]


# ---- documents ---------------------------------------------------------------------------------

def _sheets():
    spec = sheet_spec(["inverse", "gradient", "gd-step"], "free-response", 3, 41)
    return spec, make_sheets(spec, ["Ada Lovelace", "Bob <b>&"], fmt="html")


def test_html_is_offline_printable_math():
    spec, sheets = _sheets()
    page = render_document(sheets, "Week <3>", "html")
    assert "<script" not in page.lower() and "http" not in page.replace("http-equiv", "")
    assert "<math" in page and "<mtable>" in page
    assert "@media print" in page and "break-before: page" in page
    assert page.count('<section class="sheet"') == 2 and page.count('class="room"') >= 6
    assert "Bob &lt;b&gt;&amp;" in page and "Week &lt;3&gt;" in page
    assert page.count('<section class="problem keep">') == 6 and "section.keep" in page   # kept on one page
    key = render_document(sheets, "Week <3>", "html", key=True)
    assert "Worked solution" in key and "<mfrac>" in key and 'class="room"' not in key
    assert 'class="problem keep"' not in key


def test_markdown_sheets_break_pages_between_students():
    spec = sheet_spec(["matmul"], "fill-in", 2, 5)
    sheets = make_sheets(spec, ["A", "B", "C"], fmt="md")
    page = render_document(sheets, "T", "md")
    assert page.count('<div style="break-before: page"></div>') == 2
    assert page.count("Name: **") == 3 and "$$" in page


def test_latex_escapes_what_users_type():
    spec = sheet_spec(["partial-derivatives"], "fill-in", 1, 2)
    sheets = make_sheets(spec, ["O'Neil_&_Co 100%"], fmt="tex")
    page = render_document(sheets, "Week #3 & co", "tex", key=True)
    assert r"Week \#3 \& co" in page and r"O'Neil\_\&\_Co 100\%" in page
    assert r"\begin{verbatim}" in page and "name: O'Neil_&_Co 100%" in page   # raw inside verbatim


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="pdflatex is not installed")
@pytest.mark.parametrize("level", ["fill-in", "free-response"])
def test_latex_compiles_for_every_topic(tmp_path, level):
    spec = sheet_spec(list(TOPICS), level, len(TOPICS), 8)
    sheets = make_sheets(spec, ["Ada Lovelace", "José Núñez"], fmt="tex")
    for name, key in (("sheet", False), ("key", True)):
        (tmp_path / f"{name}.tex").write_text(render_document(sheets, "Week 3 & 4", "tex", key=key), encoding="utf-8")
        done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)
        errors = [line for line in done.stdout.splitlines() if line.startswith("!")]
        assert done.returncode == 0 and not errors, errors
        assert (tmp_path / f"{name}.pdf").read_bytes().startswith(b"%PDF")


NAMES = ["Nguyễn Thị Minh Khai", "王小明", "Анна Петрова", "김민수", "Zoë O’Brien", "Jose\u0301 Núñez"]


def _pdflatex(where: Path, name: str) -> None:
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
                          cwd=where, capture_output=True, text=True, timeout=120)
    errors = [line for line in done.stdout.splitlines() if line.startswith("!")]
    assert done.returncode == 0 and not errors, errors


def _pages(pdf: Path) -> list[str]:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60)
    return done.stdout.split("\f")[:-1]


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="pdflatex is not installed")
def test_latex_sets_names_of_any_script_and_what_a_title_types(capsys, tmp_path):
    roster = tmp_path / "class.txt"
    roster.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    code, _, _ = run(capsys, "worksheet", "-t", "matmul", "-n", 1, "--seed", 1, "--students", roster,
                     "--title", 'Week <3> "x" a_b', "-o", tmp_path / "sheet.tex", "--key", tmp_path / "key.tex")
    assert code == 0
    for name in ("sheet", "key"):
        source = (tmp_path / f"{name}.tex").read_text(encoding="utf-8")
        assert r"\usepackage[T1]{fontenc}" in source and source.count(r"\setcounter{page}{1}") == len(NAMES)
        assert r"\markright{Zoë O'Brien $\cdot$ Sheet" in source          # her name atop each of her pages
        _pdflatex(tmp_path, name)
    code, out, err = run(capsys, "grade", tmp_path / "key.tex")         # the names read back as typed
    assert code == 0 and "is not the variant" not in out + err and out.count("100%") >= len(NAMES)


@pytest.mark.skipif(not (shutil.which("pdflatex") and shutil.which("pdftotext")), reason="needs pdflatex and pdftotext")
def test_latex_pages_carry_the_name_and_keep_a_problem_with_its_first_box(capsys, tmp_path):
    roster = tmp_path / "class.txt"
    roster.write_text("Ada Lovelace\nAlan Turing\n", encoding="utf-8")
    spec = sheet_spec(["transpose", "vectors", "partial-derivatives"], "free-response", 8, 5)
    assert run(capsys, "worksheet", "--id", spec.id, "--students", roster, "-o", tmp_path / "s.tex")[0] == 0
    _pdflatex(tmp_path, "s")
    pages = _pages(tmp_path / "s.pdf")
    heads = [page.strip().split("\n")[0] for page in pages]                # the running head of each page
    for name in ("Ada Lovelace", "Alan Turing"):
        own = [head for head in heads if name in head]
        assert len(own) >= 2 and all(spec.for_student(name).id in head for head in own)
        assert [head.split()[-1] for head in own] == [str(n) for n in range(1, len(own) + 1)]   # page numbers
    assert all("Ada Lovelace" in head or "Alan Turing" in head for head in heads)
    for page in pages:                            # a problem's heading, statement and first box together
        assert re.findall(r"^\s*(\d+)\. ", page, re.M) == re.findall(r"^\s*(\d+)a ", page, re.M)


# ---- drills worksheet ----------------------------------------------------------------------------

def test_worksheet_command_writes_sheet_key_and_answer_sheet(capsys, tmp_path):
    out = tmp_path / "sheet.html"
    code, stdout, err = run(capsys, "worksheet", "-t", "matmul", "-t", "inverse", "--seed", 9, "-n", 4,
                            "--title", "Week 3", "-o", out, "--key", tmp_path / "key.html",
                            "--answer-sheet", tmp_path / "answers.txt")
    spec = sheet_spec(["matmul", "inverse"], "free-response", 4, 9)
    assert code == 0 and err == "" and spec.id in stdout and "answers.txt" in stdout
    assert "Week 3" in out.read_text() and spec.id in out.read_text()
    assert f"sheet: {spec.id}" in (tmp_path / "answers.txt").read_text()
    # the ID alone makes the very same files again
    again = tmp_path / "again"
    again.mkdir()
    code, _, _ = run(capsys, "worksheet", "--id", spec.id, "--title", "Week 3", "-o", again / "sheet.html",
                     "--key", again / "key.html", "--answer-sheet", again / "answers.txt")
    assert code == 0
    for name in ("sheet.html", "key.html", "answers.txt"):
        assert (again / name).read_text() == (tmp_path / name).read_text()


def test_worksheet_format_follows_the_output_name(capsys, tmp_path):
    for suffix, marker in ((".md", "## 1."), (".tex", r"\begin{document}"), (".html", "<!doctype html>")):
        code, _, _ = run(capsys, "worksheet", "-t", "mse", "--seed", 1, "-n", 1, "-o", tmp_path / f"s{suffix}")
        assert code == 0 and marker in (tmp_path / f"s{suffix}").read_text()


def test_worksheet_to_stdout(capsys, tmp_path, monkeypatch):
    """-o - prints the sheet (the report goes to stderr); a PDF, or - named twice, is refused."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "worksheet", "-t", "matmul", "--seed", 5, "-o", "-", "--key", "key.md")
    assert code == 0 and out.startswith("<!doctype html>") and "wrote stdout" in err and "wrote key.md" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key.md"]           # no file named -
    code, out, _ = run(capsys, "worksheet", "-t", "matmul", "--seed", 5, "-o", "-", "--format", "tex")
    assert code == 0 and out.startswith("\\documentclass")
    for argv in (["-o", "-", "--format", "pdf"], ["-o", "-", "--key", "-"]):
        code, out, err = run(capsys, "worksheet", "-t", "matmul", "--seed", 5, *argv)
        assert code == 1 and out == "" and err.count("\n") == 1, argv
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key.md"]


def test_a_file_named_for_another_format_gets_a_note(capsys, tmp_path):
    code, out, _ = run(capsys, "worksheet", "-t", "matmul", "--seed", 5, "-o", tmp_path / "w.html", "--format", "tex")
    assert code == 0 and (tmp_path / "w.html").read_text().startswith("\\documentclass")
    assert "w.html holds LaTeX (--format tex), though its name says HTML" in out
    code, out, _ = run(capsys, "worksheet", "-t", "matmul", "--seed", 5, "-o", tmp_path / "w.md", "--format", "md")
    assert code == 0 and "note" not in out


def test_worksheet_with_a_roster(capsys, tmp_path):
    roster = tmp_path / "class.txt"
    roster.write_text("Ada Lovelace\nAlan Turing\nGrace Hopper\n", encoding="utf-8")
    code, out, _ = run(capsys, "worksheet", "-t", "transpose", "--seed", 2, "-n", 2, "--students", roster,
                       "-o", tmp_path / "all.md", "--answer-sheet", tmp_path / "answers.txt")
    assert code == 0 and "3 students" in out
    files = sorted(p.name for p in tmp_path.glob("answers-*.txt"))
    assert files == ["answers-ada-lovelace.txt", "answers-alan-turing.txt", "answers-grace-hopper.txt"]
    spec = sheet_spec(["transpose"], "free-response", 2, 2)
    ada = (tmp_path / "answers-ada-lovelace.txt").read_text()
    assert f"sheet: {spec.for_student('Ada Lovelace').id}" in ada and f"class: {spec.id}" in ada
    assert "name: Ada Lovelace" in ada
    assert (tmp_path / "all.md").read_text().count("break-before: page") == 2


def test_answer_sheets_that_hold_answers_are_not_written_over(capsys, tmp_path):
    roster = tmp_path / "class.txt"
    roster.write_text("Ada\nBob\n", encoding="utf-8")
    make = ["worksheet", "-t", "matmul", "-n", 1, "--students", roster, "-o", tmp_path / "s.md",
            "--answer-sheet", tmp_path / "a.txt"]
    assert run(capsys, *make, "--seed", 1)[0] == 0
    assert run(capsys, *make, "--seed", 1)[0] == 0              # blank sheets may be made again
    ada = tmp_path / "a-ada.txt"
    ada.write_text(ada.read_text().replace("1a:", "1a: 2x3"), encoding="utf-8")
    code, _, err = run(capsys, *make, "--seed", 2)
    assert code == 1 and f"{ada} already exists and holds answers" in err and "--force" in err
    assert "1a: 2x3" in ada.read_text()
    assert run(capsys, *make, "--seed", 2, "--force")[0] == 0 and "1a: 2x3" not in ada.read_text()


@pytest.mark.parametrize("argv,code,fragment", [
    (["-t", "nope", "-o", "{tmp}/s.html"], 1, "unknown topic 'nope'"),
    (["-o", "{tmp}/s.html"], 2, "--topic"),
    (["--id", "ABCD-EFGH-JKMN", "-t", "matmul", "-o", "{tmp}/s.html"], 2, "not both"),
    (["--id", "ABCD-EFGH-JKMN", "-o", "{tmp}/s.html"], 1, "check character"),
    (["-t", "matmul", "-l", "example", "-o", "{tmp}/s.html"], 2, "'example' is not one of"),
    (["-t", "matmul", "-n", "0", "-o", "{tmp}/s.html"], 2, "--count"),
    (["-t", "matmul", "-o", "{tmp}/no/such/dir/s.html"], 1, "no directory"),
    (["-t", "matmul", "-o", "{tmp}"], 1, "is a folder"),
    (["-t", "matmul", "-o", "{tmp}/s.html", "--key", "{tmp}/s.html"], 1, "named twice"),
    (["-t", "matmul", "-o", "{tmp}/s.html", "--students", "{tmp}/missing.txt"], 1, "cannot read roster"),
    (["-t", "matmul", "-o", "{tmp}/s.html", "--students", "{tmp}/empty.txt"], 1, "lists no students"),
    (["-t", "matmul", "-o", "{tmp}/s.html", "--students", "{tmp}/twice.txt"], 1, "same student as line 1"),
    (["-t", "matmul", "-o", "{tmp}/s.docx"], 1, "no format is named '.docx'"),
])
def test_worksheet_bad_input_is_one_line(capsys, tmp_path, argv, code, fragment):
    (tmp_path / "empty.txt").write_text("\n# none yet\n", encoding="utf-8")
    (tmp_path / "twice.txt").write_text("Ada\nADA\n", encoding="utf-8")
    got, out, err = run(capsys, "worksheet", *[a.format(tmp=tmp_path) for a in argv])
    assert got == code and fragment in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "s.html").exists()


def test_unwritable_output_is_one_line(capsys, tmp_path, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr("drills.publish.Path.write_text", refuse)
    code, _, err = run(capsys, "worksheet", "-t", "matmul", "-o", tmp_path / "s.html")
    assert code == 1 and "cannot write" in err and "Permission denied" in err
    assert len(err.strip().splitlines()) == 1


def test_a_read_only_target_is_refused_before_anything_is_written(capsys, tmp_path, monkeypatch):
    key = tmp_path / "k.html"
    monkeypatch.setattr("drills.errors.os.access", lambda path, mode: Path(path) != tmp_path / "locked")
    (tmp_path / "locked").mkdir()
    code, _, err = run(capsys, "worksheet", "-t", "matmul", "-o", tmp_path / "s.html", "--key", key,
                       "--answer-sheet", tmp_path / "locked" / "a.txt")
    assert code == 1 and "its folder is read-only" in err and not (tmp_path / "s.html").exists() and not key.exists()


def test_a_write_that_fails_late_says_what_was_written(capsys, tmp_path, monkeypatch):
    real = Path.write_text

    def refuse_answer_sheets(self, *args, **kwargs):
        if self.suffix == ".txt":
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)
    monkeypatch.setattr("drills.publish.Path.write_text", refuse_answer_sheets)
    code, _, err = run(capsys, "worksheet", "-t", "matmul", "-o", tmp_path / "s.html", "--key", tmp_path / "k.html",
                       "--answer-sheet", tmp_path / "a.txt")
    assert code == 1 and "No space left" in err and f"already written: {tmp_path / 's.html'}, {tmp_path / 'k.html'}" in err


def test_pdf_without_chromium_or_pdflatex_says_so(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("drills.publish.shutil.which", lambda name: None)
    code, _, err = run(capsys, "worksheet", "-t", "matmul", "-o", tmp_path / "s.pdf")
    assert code == 1 and "needs Chromium" in err and "pdflatex" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "s.pdf").exists()


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="pdflatex is not installed")
def test_pdf_through_pdflatex(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("drills.publish.find_chromium", lambda: None)
    roster = tmp_path / "class.txt"
    roster.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "worksheet", "-t", "inverse", "-n", 2, "--seed", 4, "--students", roster,
                       "-o", tmp_path / "s.pdf", "--key", tmp_path / "k.pdf")
    assert code == 0 and "scores it 100%" not in out
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF") and (tmp_path / "k.pdf").read_bytes().startswith(b"%PDF")
    [note] = [line for line in out.splitlines() if "note:" in line]     # says whose name prints otherwise
    assert "王小明, Анна Петрова, 김민수 as typed" in note and "Nguyễn" not in note and "Zoë" not in note


def test_the_key_takes_its_format_from_its_own_name(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("drills.publish.write_pdf", lambda text, source, path: path.write_bytes(b"%PDF-1.7"))
    monkeypatch.setattr("drills.publish.pdf_source_format", lambda: "html")
    code, _, _ = run(capsys, "worksheet", "-t", "mse", "-n", 2, "--seed", 4, "-o", tmp_path / "s.pdf",
                     "--key", tmp_path / "key.md", "--answer-sheet", tmp_path / "a.txt")
    assert code == 0 and (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    key = (tmp_path / "key.md").read_text(encoding="utf-8")
    assert "$" in key and "<math" not in key                     # Markdown, not the sheet's HTML
    code, out, _ = run(capsys, "grade", tmp_path / "key.md")
    assert code == 0 and "100%" in out


def test_a_key_named_without_a_format_takes_the_sheets(capsys, tmp_path):
    code, _, _ = run(capsys, "worksheet", "-t", "mse", "-n", 1, "--seed", 4, "-o", tmp_path / "s.md",
                     "--key", tmp_path / "key.txt")
    assert code == 0 and (tmp_path / "key.txt").read_text(encoding="utf-8").startswith("#")


def test_a_title_of_several_lines_keeps_the_answer_sheet_gradable(capsys, tmp_path):
    code, _, _ = run(capsys, "worksheet", "-t", "matmul", "-n", 1, "--seed", 1, "--title", "Week\nsheet: AAAA",
                     "-o", tmp_path / "s.html", "--answer-sheet", tmp_path / "a.txt")
    assert code == 0 and "# Week sheet: AAAA" in (tmp_path / "a.txt").read_text(encoding="utf-8")
    code, _, err = run(capsys, "grade", tmp_path / "a.txt")
    assert code == 0 and not err


def test_the_readme_example_sheet_is_of_this_version_and_its_answer_is_right():
    """The README shows an ID and an answer sheet: a new GENERATOR_VERSION makes them stale."""
    from drills.answersheets import grade_sheet

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```\nsheet: ")[1].split("```")[0]
    lines = list(enumerate(("sheet: " + example).splitlines(), 1))
    graded = grade_sheet("README.md", lines)
    assert f"--id {graded.sheet_id}" in readme and decode(graded.sheet_id).version == GENERATOR_VERSION
    [(key, _, _, verdict)] = [r for r in graded.results() if f"\n{r[0]}: " in example]
    assert key == "6a" and verdict.correct


@pytest.mark.parametrize("fmt,subscripted", [("html", "X<sub>b</sub>·θ, the predictions"),
                                              ("tex", r"X\textsubscript{b}$\cdot$$\theta$, the predictions")])
def test_printed_labels_set_x_b_as_a_subscript(fmt, subscripted):
    sheets = make_sheets(sheet_spec(["mse"], "free-response", 3, 3))
    assert any(p.parts[0].label.startswith("ŷ = X_b·θ") for p in sheets[0].problems)
    text = render_document(sheets, "T", fmt)
    assert subscripted in text and "X_b·θ, the predictions" not in text


def test_every_printed_html_page_names_its_student_and_sheet():
    spec = sheet_spec(["matmul"], "free-response", 2, 4)
    sheets = make_sheets(spec, ["Ada Lovelace", 'Zoë "O</style>Brien'])
    html = render_document(sheets, "T", "html")
    style = html.split("<style>")[1].split("</style>")[0]
    for i, sheet in enumerate(sheets, 1):
        assert f'@page sheet-{i} {{ @top-right {{ content: "' in style and f"· sheet {sheet.id}" in style
        assert f'id="sheet-{sheet.id}" style="page: sheet-{i}"' in html
    assert r'Zoë \22 O\3c /style\3e Brien' in style          # a name cannot close the style element


def test_paper_is_letter_or_a4(capsys, tmp_path):
    sheets = make_sheets(sheet_spec(["matmul"], "free-response", 1, 4))
    assert "@page { size: letter;" in render_document(sheets, "T", "html")
    assert "@page { size: A4;" in render_document(sheets, "T", "html", paper="a4")
    assert r"\documentclass[11pt,a4paper]{article}" in render_document(sheets, "T", "tex", paper="a4")
    code, _, _ = run(capsys, "worksheet", "-t", "matmul", "-n", 1, "--paper", "a4", "-o", tmp_path / "s.tex")
    assert code == 0 and "a4paper" in (tmp_path / "s.tex").read_text()
    assert run(capsys, "worksheet", "-t", "matmul", "--paper", "a3", "-o", tmp_path / "s.tex")[0] == 2
