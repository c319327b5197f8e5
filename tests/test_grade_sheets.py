"""Grading returned answer sheets: round trips, malformed sheets, gradebooks, `drills grade`."""
import csv
import io
import json
import re
from dataclasses import replace

import pytest

from drills.answersheets import MAX_LINE_ISSUES, GradedSheet, SheetError, grade_files, grade_sheet, read_file
from drills.cli import main
from drills.gradebook import AVERAGE_ROW, most_missed
from drills.problem import Problem
from drills.sheetid import SheetSpec, sheet_spec
from drills.worksheet import answer_sheet, make_sheets
from grader import Kind, Verdict
from grader.values import typed

from tests.conftest import perturb_part

SPEC = sheet_spec(["matmul", "inverse", "gd-step"], "fill-in", 4, 21)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def fill(text: str, answers: dict[str, str]) -> str:
    """An answer sheet with some lines filled in, as a student would."""
    lines = text.splitlines()
    for key, value in answers.items():
        lines[lines.index(f"{key}:")] = f"{key}: {value}"
    return "\n".join(lines) + "\n"


def grade_text(text: str, source: str = "sheet.txt") -> GradedSheet:
    [(name, lines)] = [(source, list(enumerate(text.splitlines(), 1)))]
    return grade_sheet(name, lines)


@pytest.fixture(scope="module")
def sheet():
    return make_sheets(SPEC)[0]


@pytest.fixture(scope="module")
def blank(sheet):
    return answer_sheet(sheet, "Week 3")


def test_the_key_scores_100_and_a_blank_sheet_0(sheet, blank):
    key = grade_text(answer_sheet(sheet, "Week 3", filled=True))
    assert key.score == 1 and key.points == key.out_of == len(sheet.keyed_parts()) and not key.issues
    empty = grade_text(blank)
    assert empty.score == 0 and empty.out_of == key.out_of and not empty.issues
    assert all(pv.feedback == "No answer given." for *_, pv in empty.results())


def test_a_mixed_sheet_scores_in_between_with_diagnoses(sheet, blank):
    keyed = sheet.keyed_parts()
    right = {key: typed(part.answer, part.kind) for _, key, part in keyed[::2]}
    wrong = {key: perturb_part(part) for _, key, part in keyed[1::2]}
    graded = grade_text(fill(blank, {**right, **wrong}))
    scores = {key: pv.score for key, *_, pv in graded.results()}
    assert all(scores[k] == 1 for k in right) and all(scores[k] < 1 for k in wrong)
    assert graded.points == pytest.approx(sum(scores.values()))
    assert 0 < graded.score < 1 and not graded.issues
    results = graded.results()
    assert [k for k, *_ in results] == [k for _, k, _ in keyed]


def test_what_record_needs_is_there(sheet, blank):
    """`grade --record` will store, per sheet, the learner and each problem with its verdict."""
    graded = grade_text(fill(blank, {"1a": "3x2"}).replace("name:", "name: Ada Lovelace"))
    assert graded.name == "Ada Lovelace" and graded.sheet_id == SPEC.id
    assert [g.problem.to_dict() for g in graded.problems] == [p.to_dict() for p in sheet.problems]
    assert all(isinstance(g.problem, Problem) and isinstance(g.verdict, Verdict) for g in graded.problems)
    assert graded.problems[0].answers == {"a": "3x2"} and graded.problems[0].lines["a"] > 5


@pytest.mark.parametrize("fmt", ["md", "html", "tex"])
def test_answer_keys_are_sheets_that_score_100(capsys, tmp_path, fmt):
    roster = tmp_path / "class.txt"
    roster.write_text("Ada Lovelace\nO'Brien & <Sons>\n", encoding="utf-8")
    key = tmp_path / f"key.{fmt}"
    code, _, _ = run(capsys, "worksheet", "-t", "svd", "-t", "gradient", "-t", "sgd", "-n", 3, "--seed", 6,
                     "--students", roster, "-o", tmp_path / f"sheet.{fmt}", "--key", key)
    assert code == 0
    graded, failed = grade_files([str(key)])
    assert not failed and [g.name for g in graded] == ["Ada Lovelace", "O'Brien & <Sons>"]
    assert all(g.score == 1 and not g.issues for g in graded)
    assert graded[0].sheet_id != graded[1].sheet_id


def test_roster_variants_grade_against_their_own_problems(capsys, tmp_path):
    roster = tmp_path / "class.txt"
    roster.write_text("Ada Lovelace\nAlan Turing\n", encoding="utf-8")
    code, _, _ = run(capsys, "worksheet", "-t", "matmul", "-t", "vectors", "-n", 4, "--seed", 3,
                     "--students", roster, "-o", tmp_path / "s.html", "--answer-sheet", tmp_path / "a.txt")
    assert code == 0
    spec = sheet_spec(["matmul", "vectors"], "free-response", 4, 3)
    ada_sheet, alan_sheet = make_sheets(spec, ["Ada Lovelace", "Alan Turing"])
    assert [p.id for p in ada_sheet.problems] != [p.id for p in alan_sheet.problems]
    ada_path, alan_path = tmp_path / "a-ada-lovelace.txt", tmp_path / "a-alan-turing.txt"
    ada_path.write_text(fill(ada_path.read_text(), {k: typed(p.answer, p.kind) for _, k, p in ada_sheet.keyed_parts()}))
    alan_path.write_text(fill(alan_path.read_text(), {k: typed(p.answer, p.kind) for _, k, p in alan_sheet.keyed_parts()}))
    graded, failed = grade_files([str(ada_path), str(alan_path)])
    assert not failed and [(g.name, g.score) for g in graded] == [("Ada Lovelace", 1), ("Alan Turing", 1)]
    # Alan's answers under Ada's sheet ID: graded against Ada's problems, and the mix-up is reported
    swapped = alan_path.read_text().replace(alan_sheet.id, ada_sheet.id)
    mixed = grade_text(swapped)
    assert mixed.score < 1 and mixed.sheet_id == ada_sheet.id
    assert any("not the variant made for 'Alan Turing'" in i.message and alan_sheet.id in i.message
               for i in mixed.issues)


@pytest.mark.parametrize("typed_name", ["jose obrien smith", "José O'Brien Smith", "JOSE OBRIEN-SMITH"])
def test_a_name_typed_without_accents_or_punctuation_is_still_the_students(typed_name):
    [sheet] = make_sheets(sheet_spec(["matmul"], "free-response", 2, 3), ["José O’Brien-Smith"])
    text = answer_sheet(sheet, "T", filled=True).replace("name: José O’Brien-Smith", f"name: {typed_name}")
    graded = grade_text(text)
    assert graded.score == 1 and not graded.issues
    other = text.replace(f"name: {typed_name}", "name: Josh O'Brien")
    assert any("is not the variant made for" in i.message for i in grade_text(other).issues)


def test_malformed_lines_are_reported_and_the_rest_graded(sheet, blank):
    keyed = sheet.keyed_parts()
    (_, k1, p1), (_, k2, _), (_, k3, _) = keyed[0], keyed[1], keyed[2]
    text = fill(blank, {k1: typed(p1.answer, p1.kind), k2: "[[1, 2"})
    text = text.replace(f"{k3}:\n", "")                       # a missing line
    text += f"{k1}: {perturb_part(p1)}\n"                     # answered twice: the first counts
    text += "9z: 4\nname: Someone Else\n1 2\nthe end\n"        # unknown key, second name, stray lines
    graded = grade_text(text)
    by_key = {key: pv for key, *_, pv in graded.results()}
    assert by_key[k1].score == 1
    assert not by_key[k2].readable and "Could not read" in by_key[k2].feedback
    assert by_key[k3].score == 0
    messages = [str(i) for i in graded.issues]
    lines = text.splitlines()
    assert f"line {lines.index(f'{k1}: {perturb_part(p1)}') + 1}: {k1} is answered twice" in " ".join(messages)
    assert any(m.startswith(f"line {lines.index('9z: 4') + 1}: no question '9z'") for m in messages)
    assert any("a second 'name:' line" in m for m in messages)
    assert sum("is not 'KEY: answer'" in m for m in messages) == 2
    assert any(m.startswith(f"no line for {k3}: scored 0") for m in messages)
    assert graded.name == ""                                   # the first name line counts (it was blank)


def test_a_sheet_with_a_log_pasted_in_lists_a_few_of_its_bad_lines(sheet, blank):
    keyed = sheet.keyed_parts()
    missing = keyed[0][1]
    text = fill(blank, {}).replace(f"{missing}:\n", "") + "".join(f"junk {i}\n" for i in range(500))
    messages = [str(i) for i in grade_text(text).issues]
    assert len(messages) == MAX_LINE_ISSUES + 2
    assert "… and 490 more lines with an issue" in messages[MAX_LINE_ISSUES]
    assert messages[-1].startswith(f"no line for {missing}")            # what the whole sheet lacks stays


def test_answers_written_below_an_empty_key_line_or_the_end_line_are_graded(sheet, blank):
    (_, k1, p1), (_, k2, p2), (_, k3, p3) = sheet.keyed_parts()[:3]
    text = blank.replace(f"{k1}:\n", f"{k1}:\n{k1}: {typed(p1.answer, p1.kind)}\n")   # the printed line left empty
    text += f"{k2}: {typed(p2.answer, p2.kind)}\n{k3} = {typed(p3.answer, p3.kind)}\n"            # below the end line, '=' for ':'
    graded = grade_text(text)
    scores = {key: pv.score for key, *_, pv in graded.results()}
    assert [scores[k1], scores[k2], scores[k3]] == [1, 1, 1]
    assert not any("answered twice" in i.message or "KEY: answer" in i.message for i in graded.issues)


@pytest.fixture(scope="module")
def ada():
    """A student's variant whose 1a is a matrix and 2a a number."""
    [ada] = make_sheets(sheet_spec(["matmul", "inverse"], "free-response", 2, 3), ["Ada Lovelace"])
    assert [p.kind for *_, p in ada.keyed_parts()] == [Kind.MATRIX, Kind.NUMBER]
    return ada


def _right(sheet) -> dict[str, str]:
    return {key: typed(part.answer, part.kind) for _, key, part in sheet.keyed_parts()}


def _scores(graded: GradedSheet) -> dict[str, float]:
    return {key: pv.score for key, *_, pv in graded.results()}


def test_an_answer_on_the_line_under_its_empty_key_line_is_its_answer(ada):
    blank, right = answer_sheet(ada, "T"), _right(ada)
    under = blank
    for key, answer in right.items():
        under = under.replace(f"\n{key}:\n", f"\n{key}:\n{answer}\n")
    graded = grade_text(under)
    assert graded.score == 1 and graded.problems[1].lines["a"] == under.splitlines().index(right["2a"]) + 1
    [note] = graded.issues                                       # one note for the sheet, naming the keys
    assert note.line == under.splitlines().index(right["1a"]) + 1 and note.message.endswith(": 1a, 2a")
    one = grade_text(blank.replace("\n2a:\n", f"\n2a:\n{right['2a']}\n"))
    assert _scores(one) == {"1a": 0, "2a": 1}
    assert [i.message for i in one.issues] == ["read as the answer to 2a (written on the line under '2a:')"]


@pytest.mark.parametrize("written,ignored", [
    ("1a:\n\n{1a}\n", ["{1a}"]),                 # a blank line between: not right under its key
    ("1a:\n{1a}\nmy working\n", ["{1a}", "my working"]),    # two lines: which one is the answer?
    ("1a:\n{2a}\n1 2\n", ["{2a}", "1 2"]),
    ("1a: {1a}\n{2a}\n", ["{2a}"]),               # under a key line that has its answer
    ("Date:\nMonday\n1a:\n", ["Monday"]),        # under a line that is no question's key
])
def test_text_that_belongs_to_no_key_is_still_ignored(ada, written, ignored):
    right = _right(ada)
    text = answer_sheet(ada, "T").replace("\n1a:\n", "\n" + written.format_map(right))
    graded = grade_text(text)
    answered = right["1a"] if written.startswith("1a: {1a}") else None
    assert graded.problems[0].answers.get("a") == answered and _scores(graded)["1a"] == (1 if answered else 0)
    reported = [i for i in graded.issues if "is not 'KEY: answer'" in i.message]
    assert [i.line for i in reported] == [text.splitlines().index(line.format_map(right)) + 1 for line in ignored]
    hinted = [i.message.endswith("over lines inside [ ]") for i in reported]        # for rows of a matrix only
    assert hinted == [line in ("{1a}", "1 2") for line in ignored]


def test_a_matrix_typed_over_several_lines_inside_brackets_is_read(ada):
    blank = answer_sheet(ada, "T")
    assert "one line" not in blank                     # the sheet does not say otherwise
    rows = [" ".join(str(x) for x in row) for row in ada.problems[0].parts[0].answer]
    over = "[" + "\n".join(rows) + "]"                 # [0 4 -2 -4⏎-4 2 4 2⏎…⏎-6 5 5 1]
    for written, first in [(f"1a: {over}", "1a: ["), (f"1a:\n{over}", "[")]:
        text = blank.replace("\n1a:\n", f"\n{written}\n")
        graded = grade_text(text)
        start = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(first))
        assert _scores(graded)["1a"] == 1 and graded.problems[0].lines["a"] == start
        [note] = graded.issues
        assert note.line == start and f"(lines {start}–{start + len(rows) - 1}" in note.message
    unclosed = grade_text(blank.replace("\n1a:\n", f"\n1a: [{rows[0]}\n{rows[1]}\n"))
    [(_, _, _, pv)] = unclosed.results()[:1]
    assert not pv.readable and unclosed.problems[0].answers["a"] == f"[{rows[0]}"
    assert [i.message.startswith(f"'{rows[1]}' is not 'KEY: answer'") for i in unclosed.issues] == [True]


def test_of_a_key_answered_twice_the_first_answer_that_can_be_read_is_graded(ada):
    blank, right = answer_sheet(ada, "T"), _right(ada)
    wrong = perturb_part(ada.problems[1].parts[0])

    def graded(*answers):
        text = blank.replace("\n2a:\n", "\n" + "".join(f"2a: {a}\n" for a in answers))
        lines = text.splitlines()
        return grade_text(text), [lines.index(f"2a: {a}") + 1 for a in answers]

    sure, (unsure_line, sure_line) = graded(f"{right['2a']}?? not sure", right["2a"])
    assert _scores(sure)["2a"] == 1 and sure.problems[1].lines["a"] == sure_line
    [note] = sure.issues
    assert note.line == unsure_line and "cannot be read" in note.message
    assert f"line {sure_line} is graded" in note.message
    changed, (first, second) = graded(wrong, right["2a"])      # the last answer does not count: a second
    assert _scores(changed)["2a"] == 0 and changed.problems[1].answers["a"] == wrong      # guess gains nothing
    [note] = changed.issues
    assert note.line == second and f"the first answer, on line {first}, is graded" in note.message
    guesses, lines = graded("??", wrong, right["2a"])
    assert _scores(guesses)["2a"] == 0 and all("answered 3 times" in i.message for i in guesses.issues)
    assert [i.line for i in guesses.issues] == [lines[0], lines[2]]
    assert f"the first answer that can be read, on line {lines[1]}" in guesses.issues[1].message


def test_a_sheet_without_its_sheet_line_is_graded_as_its_class_and_name_give(ada):
    key = answer_sheet(ada, "T", filled=True)
    for text in (key.replace(f"sheet: {ada.id}\n", ""), key.replace(f"sheet: {ada.id}", "sheet:")):
        graded = grade_text(text)
        assert (graded.sheet_id, graded.worksheet, graded.score) == (ada.id, ada.class_id, 1)
        [note] = graded.issues
        assert "'sheet:' line" in note.message and f"graded as {ada.id}" in note.message
    no_sheet = key.replace(f"sheet: {ada.id}\n", "")
    for text in (no_sheet.replace(f"class: {ada.class_id}\n", ""), no_sheet.replace("name: Ada Lovelace\n", "")):
        with pytest.raises(SheetError, match="copy the student's 'sheet:' line from the answer key"):
            grade_text(text)


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252", "utf-8-sig"])
def test_sheets_saved_by_windows_editors_are_read(tmp_path, sheet, encoding):
    path = tmp_path / "returned.txt"
    text = answer_sheet(sheet, "Week 3", filled=True).replace("\nname:", "\nname: Zoë Müller")
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding, errors="replace"))   # as Notepad saves it
    graded, failed = grade_files([str(path)])
    assert not failed and graded[0].score == 1 and graded[0].name == "Zoë Müller"


def test_the_class_summary_warns_of_copies_and_of_mixed_worksheets(tmp_path, sheet):
    from drills.gradebook import class_warnings, format_table

    key = answer_sheet(sheet, "T", filled=True)
    paths = [tmp_path / n for n in ("a.txt", "a (1).txt")]
    for path in paths:
        path.write_text(key, encoding="utf-8")
    graded, _ = grade_files([str(p) for p in paths])
    [copies] = class_warnings(graded)
    assert "1 sheet is graded more than once" in copies and "a (1).txt" in copies
    assert " ".join(copies.split()) in " ".join(format_table(graded).split())        # wrapped there
    other = answer_sheet(make_sheets(sheet_spec(["matmul"], "free-response", 1, 5))[0], "T", filled=True)
    mixed = graded[:1] + [grade_text(other)]
    [warning] = class_warnings(mixed)
    assert "2 different worksheets" in warning and SPEC.id in warning
    assert class_warnings(graded[:1]) == []
    blank = grade_text(answer_sheet(sheet, "T"))            # two nameless sheets, written differently:
    assert class_warnings([graded[0], blank]) == []           # two students of a sheet without variants


def test_the_class_summary_says_when_variants_ask_different_questions_under_one_key():
    from drills.gradebook import class_warnings

    old = replace(sheet_spec(["matmul", "inverse"], "free-response", 4, 101), version=2)   # forms drawn apart
    sheets = make_sheets(old, ["Ada", "Bob", "Cy", "Dee"])
    graded = [grade_text(answer_sheet(s, "T", filled=True), s.student) for s in sheets]
    labels = {}
    for s in sheets:
        for _, key, part in s.keyed_parts():
            labels.setdefault(key, set()).add(part.label.split(",")[0])
    differing = [key for key, asked in labels.items() if len(asked) > 1]
    assert differing                                  # this class's variants do differ
    [warning] = class_warnings(graded)
    assert f"different questions under {len(differing)} of {len(labels)} keys" in warning
    same = class_warnings([graded[0], grade_text(answer_sheet(sheets[0], "T"), "blank")])
    assert not any("different questions" in w for w in same)


@pytest.mark.parametrize("written", ["1A", " 1 a ", "1.a", "(1)(a)", "1(a)", "1a"])
def test_keys_may_be_written_loosely(sheet, blank, written):
    _, key, part = sheet.keyed_parts()[0]
    assert key == "1a"
    text = blank.replace("\n1a:\n", f"\n{written}: {typed(part.answer, part.kind)}\n")
    graded = grade_text(text)
    assert graded.results()[0][3].score == 1 and not graded.issues


@pytest.mark.parametrize("change,fragment", [
    (lambda t: re.sub(r"sheet: .*", "", t), "no 'sheet:' line"),
    (lambda t: t.replace(SPEC.id, SPEC.id[:-1] + ("A" if SPEC.id[-1] != "A" else "B")), "check character"),
    (lambda t: t.replace(SPEC.id, SheetSpec(SPEC.topics, SPEC.level, SPEC.count, SPEC.seed, 99).id),
     "newer drills"),
    (lambda t: t.replace(SPEC.id, "sheet ID goes here!"), "characters no sheet ID has"),
])
def test_sheets_without_a_usable_id_are_not_graded(blank, change, fragment):
    with pytest.raises(SheetError, match=fragment):
        grade_text(change(blank))


def test_files_that_are_not_sheets_fail_one_by_one(tmp_path, sheet):
    good = tmp_path / "good.txt"
    good.write_text(answer_sheet(sheet, "T", filled=True), encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\xff\xfe\x80")
    (tmp_path / "key.pdf").write_bytes(b"%PDF-1.4\n...")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "blank.txt").write_text(" \n\n", encoding="utf-16")
    paths = [str(tmp_path / n) for n in ("binary.txt", "good.txt", "key.pdf", "empty.txt", "blank.txt")]
    graded, failed = grade_files(paths)
    assert [g.source for g in graded] == [str(good)] and graded[0].score == 1
    messages = [u.message for u in failed]
    assert ["not a text file" in messages[0], "a PDF" in messages[1], "empty.txt: the file is empty" in messages[2],
            "blank.txt: the file is empty (only blank lines)" in messages[3]] == [True] * 4


def test_one_file_may_hold_several_sheets(tmp_path):
    sheets = make_sheets(SPEC, ["A", "B"])
    path = tmp_path / "both.txt"
    path.write_text("notes above are ignored\n" + "".join(answer_sheet(s, "T", filled=True) for s in sheets))
    blocks = read_file(str(path))
    assert [name for name, _ in blocks] == [f"{path} (sheet 1)", f"{path} (sheet 2)"]
    assert blocks[0][1][0][0] == 3                        # line numbers are the file's


# ---- drills grade --------------------------------------------------------------------------------

def _zero(part) -> str:
    """An answer that scores 0 (not even partial credit)."""
    return "none" if typed(part.answer, part.kind) != "none" else "2x2"


@pytest.fixture
def classroom(tmp_path, capsys):
    """Three students' returned sheets: all right, half right, blank."""
    roster = tmp_path / "class.txt"
    roster.write_text("Ada\nBob\nCy\n", encoding="utf-8")
    code, _, _ = run(capsys, "worksheet", "-t", "matmul", "-t", "transpose", "-n", 2, "--seed", 12,
                     "--students", roster, "-o", tmp_path / "s.md", "--answer-sheet", tmp_path / "a.txt")
    assert code == 0
    spec = sheet_spec(["matmul", "transpose"], "free-response", 2, 12)
    ada, bob, _ = make_sheets(spec, ["Ada", "Bob", "Cy"])
    (tmp_path / "a-ada.txt").write_text(fill((tmp_path / "a-ada.txt").read_text(),
                                             {k: typed(p.answer, p.kind) for _, k, p in ada.keyed_parts()}))
    (_, k1, p1), (_, k2, p2) = bob.keyed_parts()
    (tmp_path / "a-bob.txt").write_text(fill((tmp_path / "a-bob.txt").read_text(),
                                             {k1: typed(p1.answer, p1.kind), k2: _zero(p2)}))
    return [tmp_path / f"a-{n}.txt" for n in ("ada", "bob", "cy")], k2


def test_grade_table_shows_results_totals_and_most_missed(capsys, classroom):
    paths, missed_key = classroom
    code, out, err = run(capsys, "grade", *paths)
    assert code == 0 and err == ""
    assert out.count("Total: ") == 3 and "Total: 2 / 2 (100%)" in out and "Total: 1 / 2 (50%)" in out
    assert "Total: 0 / 2 (0%)" in out and "✗ No answer given." in out
    assert "Class: 3 sheets, average 50%" in out
    totals = out.split("Class: ")[1].splitlines()[1:4]               # a name · points · percent list
    assert [line.split()[0] for line in totals] == ["Ada", "Bob", "Cy"] and totals[1].split()[1:] == ["1", "/", "2", "50%"]
    summary = out.split("Most missed:")[1].splitlines()
    assert summary[1].split()[0] == missed_key and "1 of 3 right" in summary[1]


def test_grade_csv_is_a_gradebook(capsys, classroom):
    paths, missed_key = classroom
    code, out, _ = run(capsys, "grade", *paths, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0] == ["name", "sheet", "file", "1a", "2a", "points", "out_of", "percent", "issues"]
    assert [r[0] for r in rows[1:]] == ["Ada", "Bob", "Cy", AVERAGE_ROW]
    assert rows[1][3:] == ["1", "1", "2", "2", "100.0", ""] and rows[3][3:5] == ["0", "0"]
    average = dict(zip(rows[0], rows[4]))
    paths[2].write_text(paths[2].read_text().replace("name: Cy", "name: =HYPERLINK(\"x\")"), encoding="utf-8")
    _, out, _ = run(capsys, "grade", *paths, "--format", "csv")
    assert list(csv.reader(io.StringIO(out)))[3][0] == "'=HYPERLINK(\"x\")"     # text, not a formula
    assert float(average[missed_key]) == pytest.approx(1 / 3, abs=1e-3) and average["percent"] == "50.0"


def test_grade_json_lists_sheets_with_parts(capsys, classroom):
    paths, _ = classroom
    code, out, _ = run(capsys, "grade", *paths, "--format", "json")
    sheets = json.loads(out)
    assert code == 0 and [s["name"] for s in sheets] == ["Ada", "Bob", "Cy"]
    assert {"file", "sheet", "name", "points", "out_of", "score", "parts", "issues"} <= set(sheets[0])
    part = sheets[1]["parts"][1]
    assert {"key", "score", "correct", "feedback", "diagnosis", "answer", "line"} <= set(part)
    assert part["correct"] is False and sheets[1]["score"] == 0.5


def test_most_missed_orders_by_mean_score(classroom):
    paths, missed_key = classroom
    graded, _ = grade_files([str(p) for p in paths])
    missed = most_missed(graded)
    assert missed[0].key == missed_key and missed[0].right == 1 and missed[0].sheets == 3
    assert [q.mean for q in missed] == sorted(q.mean for q in missed)


def test_grade_bad_input(capsys, tmp_path, classroom):
    paths, _ = classroom
    code, _, err = run(capsys, "grade", tmp_path / "missing.txt")          # reported as a sheet that fails
    assert code == 1 and "missing.txt: cannot read it" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "grade")
    assert code == 2 and "SHEET" in err
    edited = tmp_path / "edited.txt"
    text = paths[0].read_text()
    sheet_line = next(line for line in text.splitlines() if line.startswith("sheet: "))
    flipped = sheet_line[:-1] + ("A" if sheet_line[-1] != "A" else "B")
    # without its class line, which would tell the student's own variant
    edited.write_text(re.sub(r"(?m)^class: .*\n", "", text.replace(sheet_line, flipped)), encoding="utf-8")
    code, out, err = run(capsys, "grade", paths[0], edited)
    assert code == 1 and "Total: 2 / 2 (100%)" in out                   # the good sheet is graded
    assert err.startswith("drills: error: ") and "check character" in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_a_mistyped_variant_id_is_read_as_the_one_its_class_and_name_give():
    [ada] = make_sheets(sheet_spec(["matmul"], "free-response", 2, 3), ["Ada Lovelace"])
    text = answer_sheet(ada, "T", filled=True)
    typo = ada.id[:5] + ("A" if ada.id[5] != "A" else "B") + ada.id[6:]
    graded = grade_text(text.replace(f"sheet: {ada.id}", f"sheet: {typo}"))
    assert graded.sheet_id == ada.id and graded.score == 1
    assert any("check character" in i.message and f"graded as {ada.id}" in i.message for i in graded.issues)
    far = "".join("Z" if c.isalnum() and c != "Z" else c for c in ada.id[:8]) + ada.id[8:]
    with pytest.raises(SheetError):                    # far from it: not read as anything
        grade_text(text.replace(f"sheet: {ada.id}", f"sheet: {far}"))


def test_one_decoder_reads_text_as_editors_save_it():
    from drills.textfile import decode_text

    for encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252"):
        data = "José Núñez\r\n".encode(encoding)
        data = b"\xfe\xff" + data if encoding == "utf-16-be" else data
        assert decode_text(data) == "José Núñez\r\n"
    mixed = "José García\n".encode() + "Bob – Smith\n".encode("cp1252")    # one line pasted from a spreadsheet
    assert decode_text(mixed) == "José García\nBob – Smith\n"
    for binary in (b"\x7fELF\x02\x00\x01", b"\xff\xfe\x00\xd8"):          # a NUL byte; a lone UTF-16 surrogate
        with pytest.raises(UnicodeDecodeError):
            decode_text(binary)
