"""What `drills grade` reports about a class: sheets that could not be graded, folders, copies,
notes, the CSV's issues column, and the names `--record` files sheets under."""
import csv
import io
import json

import pytest

from drills.progress import Store
from drills.sheetid import sheet_spec
from drills.terminal import TEXT_WIDTH, columns, wrapped
from drills.worksheet import make_sheets
from grader.values import typed

from tests import test_grade_sheets
from tests.test_grade_sheets import fill, run

classroom = test_grade_sheets.classroom        # the fixture, shared


def _no_sheet_line(folder):
    path = folder / "a-lost.txt"
    path.write_text("name: Dee\n1a: 3\n", encoding="utf-8")
    return path


def test_files_that_cannot_be_graded_are_listed_at_the_end_of_the_table(capsys, tmp_path, classroom):
    paths, _ = classroom
    lost = _no_sheet_line(tmp_path)
    code, out, err = run(capsys, "grade", *paths, lost)
    assert code == 1 and "a-lost.txt: no 'sheet:' line" in err
    assert "Class: 3 sheets, average 50%; 1 file not graded (listed at the end)" in out
    ending = out.rstrip("\n").split("\nMost missed:")[1].split("\n", 3)[-1]
    assert " ".join(ending.split()).startswith(f"Not graded (1 file): {lost}: no 'sheet:' line")
    code, out, _ = run(capsys, "grade", paths[0], lost)            # one sheet graded: no class summary
    assert code == 1 and "Not graded (1 file):" in out and "Class:" not in out


def test_csv_and_json_give_a_sheet_that_cannot_be_graded_its_own_row(capsys, tmp_path, classroom):
    paths, _ = classroom
    lost = _no_sheet_line(tmp_path)
    code, out, _ = run(capsys, "grade", *paths, lost, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 1 and [r["name"] for r in rows] == ["Ada", "Bob", "Cy", "", "(class average)"]
    row = rows[3]
    assert row["file"] == str(lost) and row["issues"].startswith("not graded: no 'sheet:' line")
    assert all(row[k] == "" for k in ("1a", "2a", "points", "out_of", "percent", "sheet"))
    assert rows[4]["percent"] == "50.0"                          # the average is of the graded sheets
    code, out, _ = run(capsys, "grade", *paths, lost, "--format", "json")
    entries = json.loads(out)
    assert code == 1 and len(entries) == 4 and set(entries[0]) <= set(entries[3])
    assert entries[0]["graded"] is True and entries[0]["error"] is None
    assert entries[3]["graded"] is False and entries[3]["file"] == str(lost) and entries[3]["score"] is None
    assert entries[3]["error"].startswith("no 'sheet:' line")
    code, out, _ = run(capsys, "grade", lost, "--format", "json")  # nothing graded: still JSON
    assert code == 1 and [e["file"] for e in json.loads(out)] == [str(lost)]


def test_a_missing_file_or_a_folder_does_not_stop_the_others(capsys, tmp_path, classroom):
    paths, _ = classroom
    missing = tmp_path / "missing.txt"
    code, out, err = run(capsys, "grade", missing, paths[0])
    assert code == 1 and "Total: 2 / 2 (100%)" in out and f"{missing}: cannot read it" in err
    assert "Not graded (1 file):" in out
    folder = tmp_path / "returned"
    folder.mkdir()
    for path in paths:
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "notes.md").write_text("not an answer sheet", encoding="utf-8")
    code, out, err = run(capsys, "grade", folder, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and err == "" and [r["name"] for r in rows] == ["Ada", "Bob", "Cy", "(class average)"]
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run(capsys, "grade", empty, paths[0])
    assert code == 1 and "a folder without .txt files" in err and "Total: 2 / 2" in out
    _, out, _ = run(capsys, "grade", "--help")
    assert "or a folder: the .txt files in it" in " ".join(out.split())


def test_the_same_variant_under_two_names_is_warned_of_and_its_row_marked(capsys, tmp_path, classroom):
    paths, _ = classroom
    ada = paths[0].read_text(encoding="utf-8")
    copy = tmp_path / "a-copy.txt"
    copy.write_text(ada.replace("name: Ada", "name: Cy"), encoding="utf-8")      # Cy hands in Ada's sheet
    code, out, _ = run(capsys, "grade", paths[0], paths[1], copy)
    sheet_id = next(line.split()[1] for line in ada.splitlines() if line.startswith("sheet:"))
    summary = " ".join(out.split("Class: ")[1].split())
    assert code == 0 and f"same variant handed in under two names: {sheet_id} (Ada, Cy)" in summary
    rows = {line.split()[0]: line for line in out.split("Class: ")[1].splitlines()[1:] if line.startswith("  ")}
    assert "made for another name" in rows["Cy"] and "!" not in rows["Ada"] and "!" not in rows["Bob"]
    code, _, err = run(capsys, "grade", paths[0], copy, "--format", "csv")
    assert "same variant handed in under two names" in err
    _, out, _ = run(capsys, "grade", paths[0], paths[1])                        # no copy: no warning
    assert "same variant" not in out and "made for another name" not in out


def test_notes_are_wrapped_and_the_class_table_flags_their_sheets(capsys, classroom):
    paths, _ = classroom
    bob = paths[1]
    stray = "[[1, 2], [3, 4] " + "and this row of the matrix went onto a line of its own " * 2
    bob.write_text(bob.read_text(encoding="utf-8").replace("\n# ---- end", f"\n{stray}\n# ---- end"), encoding="utf-8")
    code, out, _ = run(capsys, "grade", *paths)
    assert code == 0 and "is not 'KEY: answer'" in out
    assert max(columns(line) for line in out.splitlines()) <= TEXT_WIDTH
    rows = {line.split()[0]: line for line in out.split("Class: ")[1].splitlines()[1:] if line.startswith("  ")}
    assert rows["Bob"].endswith("! 1 note") and "!" not in rows["Ada"] and "!" not in rows["Cy"]


def test_a_bracket_never_closed_does_not_keep_a_line_from_wrapping():
    line = "'[' at column 1 is never closed. " + "Expected a matrix, e.g. [[1, 2], [3, 4]] or 1 2; 3 4. " * 2
    lines = wrapped(line).split("\n")
    assert len(lines) > 1 and all(len(x) <= TEXT_WIDTH for x in lines)
    assert any("[[1, 2], [3, 4]]" in x for x in lines)            # a closed one still stays whole


def test_csv_issues_column_tells_unreadable_from_wrong(capsys, classroom):
    paths, missed_key = classroom
    bob = paths[1]
    unread = bob.read_text(encoding="utf-8").replace("\n1a: ", "\n1a: [[1, 2", 1)
    bob.write_text(unread, encoding="utf-8")
    code, out, _ = run(capsys, "grade", *paths, "--format", "csv")
    assert not out.startswith("\ufeff")                          # no BOM: it is piped into other tools
    header, *rows = list(csv.reader(io.StringIO(out)))
    assert header[-1] == "issues"
    by_name = {r[0]: dict(zip(header, r)) for r in rows}
    assert by_name["Bob"]["1a"] == "0" and by_name["Bob"][missed_key] == "0"    # both score 0, but:
    assert by_name["Bob"]["issues"].startswith("1a could not be read") and missed_key not in by_name["Bob"]["issues"]
    assert by_name["Ada"]["issues"] == "" and by_name["(class average)"]["issues"] == ""


@pytest.fixture
def named_class(tmp_path, capsys):
    """Answer sheets of a roster whose students typed their names their own way."""
    roster = tmp_path / "class.txt"
    names = ["Emily Brontë", "Mohammed Al-Farsi", "Zoë Müller", "John B. Smith", "John Smith"]
    roster.write_text("\n".join(names) + "\n", encoding="utf-8")
    code, _, _ = run(capsys, "worksheet", "-t", "matmul", "-n", 1, "--seed", 5, "--students", roster,
                     "-o", tmp_path / "s.md", "--answer-sheet", tmp_path / "a.txt")
    assert code == 0
    sheets = make_sheets(sheet_spec(["matmul"], "free-response", 1, 5), names)
    files = {}
    for sheet, slug in zip(sheets, ["emily-brontë", "mohammed-al-farsi", "zoë-müller", "john-b-smith", "john-smith"]):
        path = tmp_path / f"a-{slug}.txt"
        path.write_text(fill(path.read_text(encoding="utf-8"),
                             {k: typed(p.answer, p.kind) for _, k, p in sheet.keyed_parts()}), encoding="utf-8")
        files[sheet.student] = path
    return roster, files


def _rename(path, old, new):
    path.write_text(path.read_text(encoding="utf-8").replace(f"name: {old}", f"name: {new}"), encoding="utf-8")


def test_record_files_a_sheet_under_the_roster_name_of_its_variant(capsys, named_class):
    roster, files = named_class
    _rename(files["Emily Brontë"], "Emily Brontë", "emily bronte")
    _rename(files["Mohammed Al-Farsi"], "Mohammed Al-Farsi", "Mo Al-Farsi")
    _rename(files["John B. Smith"], "John B. Smith", "John Smith")              # another student's name
    code, _, err = run(capsys, "grade", *files.values(), "--record", "--students", roster, "--format", "csv")
    assert code == 0
    assert "recorded as Emily Brontë, the name its variant was made for (the sheet says 'emily bronte')" in err
    assert "recorded as Mohammed Al-Farsi" in err and "recorded as John B. Smith" not in err
    with Store.open() as store:
        assert store.learners() == sorted(["Emily Brontë", "Mohammed Al-Farsi", "Zoë Müller", "John Smith"])


def test_record_without_a_roster_goes_by_the_learners_already_recorded(capsys, named_class):
    roster, files = named_class
    code, _, _ = run(capsys, "grade", files["Emily Brontë"], "--record")
    assert code == 0
    _rename(files["Emily Brontë"], "Emily Brontë", "EMILY BRONTE")
    code, _, err = run(capsys, "grade", files["Emily Brontë"], "--record")
    assert code == 0 and "recorded as Emily Brontë" in err
    with Store.open() as store:
        assert store.learners() == ["Emily Brontë"]


def test_a_copy_is_recorded_under_the_name_it_was_handed_in_as(capsys, tmp_path, named_class):
    roster, files = named_class
    copy = tmp_path / "copy.txt"
    copy.write_text(files["Emily Brontë"].read_text(encoding="utf-8").replace("name: Emily Brontë", "name: Emily"),
                    encoding="utf-8")
    code, _, err = run(capsys, "grade", files["Emily Brontë"], copy, "--record", "--students", roster)
    assert code == 0 and "recorded as" not in err
    with Store.open() as store:
        assert store.learners() == ["Emily", "Emily Brontë"]
    code, _, err = run(capsys, "grade", files["Emily Brontë"], "--students", roster)
    assert code == 2 and "--students goes with --record" in err
