"""Write a worksheet's files: the printable sheet, its answer key and the answer sheets, as
Markdown, HTML, LaTeX or PDF (printed by a headless Chromium, or compiled by pdflatex)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from drills.errors import DrillsError, check_writable, reason
from drills.render import tex_prose
from drills.sheetid import SheetSpec
from drills.terminal import counted
from drills.texchars import as_typed
from drills.worksheet import HEADER_KEYS, LEVEL_WORDS, answer_sheet, default_title, make_sheets, render_document, slug

SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".tex": "tex", ".pdf": "pdf"}
FORMAT_NAMES = {"md": "Markdown", "html": "HTML", "tex": "LaTeX", "pdf": "a PDF"}
STDOUT = Path("-")                  # a file named -: the document goes to stdout
CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TOOL_SECONDS = 180


def format_for(path: str, fmt: str | None) -> str:
    """The format asked for, or the one the file's extension names (html for a file without one)."""
    if fmt:
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix and suffix not in SUFFIX_FORMATS:
        raise DrillsError(f"{path}: no format is named '{suffix}'; end the file name in .html, .md, .tex "
                          "or .pdf, or give --format")
    return SUFFIX_FORMATS.get(suffix, "html")


def write_worksheet(spec: SheetSpec, output: str, fmt: str, *, title: str | None = None,
                    key_path: str | None = None, answers_path: str | None = None,
                    students: Sequence[str] = (), progress: Callable[[], None] | None = None,
                    force: bool = False, paper: str = "letter") -> list[str]:
    """Make the sheets (one per student, or the class's) and write every file; returns what was written.

    The worksheet is written as `fmt`; the key as its own extension says (else as the worksheet).
    One file may be -, stdout. An answer sheet that holds answers (a student's, returned) is
    replaced only when `force`d."""
    documents = [(Path(output), fmt, False)]        # (path, format, is the key)
    if key_path:
        documents.append((Path(key_path), SUFFIX_FORMATS.get(Path(key_path).suffix.lower(), fmt), True))
    answer_paths = _answer_paths(answers_path, students)
    if any(path == STDOUT and f == "pdf" for path, f, _ in documents):
        raise DrillsError("a PDF is not written to stdout (-): give it a file name")
    _check_targets([path for path, _, _ in documents] + answer_paths)
    if not force:
        _keep_answers(answer_paths)
    sources = {f: pdf_source_format() if f == "pdf" else f for _, f, _ in documents}
    made: dict[str, list] = {}

    def sheets_in(source: str) -> list:
        """The sheets rendered as `source`, made once (the progress bar follows the first making)."""
        if source not in made:
            made[source] = make_sheets(spec, students, source, None if made else progress)
        return made[source]

    title = title or default_title(spec)
    written: list[Path] = []
    try:
        for path, f, key in documents:
            text = render_document(sheets_in(sources[f]), title, sources[f], key=key, paper=paper)
            if f == "pdf":
                write_pdf(text, sources[f], path)
            else:
                write_text(path, text)
            written.append(path)
        for path, sheet in zip(answer_paths, sheets_in(sources[fmt])):
            write_text(path, answer_sheet(sheet, title))
            written.append(path)
    except DrillsError as err:
        if not written:
            raise
        raise DrillsError(f"{err} (already written: {', '.join(map(str, written[:3]))}"
                          f"{f' and {len(written) - 3} more' if len(written) > 3 else ''})") from None
    who = f", for {counted(len(students), 'student')}, each their own variant" if students else ""
    report = [f"Worksheet {spec.id}: {counted(spec.count, 'problem')} ({LEVEL_WORDS[spec.level]}){who}",
              f"  wrote {_shown(output)}"]
    if key_path:
        graded = "" if documents[-1][1] == "pdf" or Path(key_path) == STDOUT else \
            f"; `drills grade {key_path}` scores it 100%"
        report.append(f"  wrote {_shown(key_path)} (the answer key{graded})")
    if len(answer_paths) == 1:
        report.append(f"  wrote {_shown(answer_paths[0])} (the answer sheet to type answers into)")
    elif answer_paths:
        report.append(f"  wrote {len(answer_paths)} answer sheets: {answer_paths[0]} … {answer_paths[-1]}")
    report += [note for path, f, _ in documents if (note := _named_otherwise(path, f))]
    if "tex" in sources.values():
        report += _unset_note(title, students)
    return report


def _shown(path: str | Path) -> str:
    return "stdout" if Path(path) == STDOUT else str(path)


def _named_otherwise(path: Path, fmt: str) -> str:
    """A note when a file's extension names another format than it holds (-o w.html --format tex)."""
    named = SUFFIX_FORMATS.get(path.suffix.lower())
    if not named or named == fmt:
        return ""
    return (f"  note: {path} holds {FORMAT_NAMES[fmt]} (--format {fmt}), though its name says "
            f"{FORMAT_NAMES[named]}")


def _unset_note(title: str, students: Sequence[str]) -> list[str]:
    """A line naming the title and the names that pdflatex's fonts cannot print as typed, if any."""
    unset = (["the title"] if not as_typed(tex_prose(title)) else []) + [
        name for name in students if not as_typed(tex_prose(name))]
    if not unset:
        return []
    return [f"  note: pdflatex cannot set {', '.join(unset)} as typed: '?' or a letter without its accent stands "
            "in where its fonts have none (HTML, or a PDF printed by Chromium, shows them)"]


def _answer_paths(answers_path: str | None, students: Sequence[str]) -> list[Path]:
    if not answers_path:
        return []
    path = Path(answers_path)
    if not students:
        return [path]
    if path == STDOUT:
        raise DrillsError("--answer-sheet - with --students: each student's answer sheet needs a file; "
                          "give a name, such as answers.txt")
    return [path.with_name(f"{path.stem}-{slug(name)}{path.suffix or '.txt'}") for name in students]


def _check_targets(paths: list[Path]) -> None:
    seen = set()
    for path in paths:
        resolved = path if path == STDOUT else path.resolve()
        if resolved in seen:
            where = "stdout (-)" if path == STDOUT else str(path)
            raise DrillsError(f"{where} is named twice: the worksheet, key and answer sheets need files of "
                              "their own")
        seen.add(resolved)
        if path != STDOUT:
            check_writable(path)


def _keep_answers(paths: list[Path]) -> None:
    """Refuse to write over a file that is not a blank answer sheet: it may be a student's answers."""
    filled = [path for path in paths if path.is_file() and not _blank_sheet(path)]
    if filled:
        more = f" and {len(filled) - 1} more" if len(filled) > 1 else ""
        raise DrillsError(f"{filled[0]}{more} already exist{'' if more else 's'} and hold{'' if more else 's'} answers "
                          "(or other text): choose another --answer-sheet name, or give --force to replace them")


def _blank_sheet(path: Path) -> bool:
    """Whether the file is an answer sheet with nothing written after its keys and name."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    entries = [line.partition(":") for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return (any(key.strip() == "sheet" for key, _, _ in entries)
            and all(sep and (key.strip() in HEADER_KEYS or not value.strip()) for key, sep, value in entries))


def write_text(path: Path, text: str) -> None:
    if path == STDOUT:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise DrillsError(f"cannot write {path}: {reason(err)}") from None


def find_chromium() -> str | None:
    return next((found for name in CHROMIUMS if (found := shutil.which(name))), None)


def pdf_source_format() -> str:
    """html when a headless Chromium can print it, tex when pdflatex can compile it."""
    if find_chromium():
        return "html"
    if shutil.which("pdflatex"):
        return "tex"
    raise DrillsError("--format pdf needs Chromium (chromium or google-chrome) or pdflatex, and neither "
                      "is installed: use --format html and print from a browser, or --format tex")


def write_pdf(text: str, source_fmt: str, target: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="drills-pdf-") as tmp:
        source = Path(tmp) / f"sheet.{source_fmt}"
        source.write_text(text, encoding="utf-8")
        made = Path(tmp) / "sheet.pdf"
        if source_fmt == "html":
            command = [find_chromium() or "chromium", *chromium_flags(Path(tmp) / "profile"),
                       f"--print-to-pdf={made}", "--no-pdf-header-footer", source.as_uri()]
        else:
            command = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", source.name]
        try:
            done = subprocess.run(command, cwd=tmp, capture_output=True, text=True, timeout=TOOL_SECONDS)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise DrillsError(f"could not make the PDF with {command[0]}: {err}") from None
        if not made.is_file() or not made.stat().st_size:
            log = done.stdout + done.stderr
            first = next((line for line in log.splitlines() if line.startswith("!")), log.strip()[-200:])
            raise DrillsError(f"{Path(command[0]).name} made no PDF (exit {done.returncode}): {first}")
        try:
            shutil.copyfile(made, target)
        except OSError as err:
            raise DrillsError(f"cannot write {target}: {reason(err)}") from None


def chromium_flags(profile: Path) -> list[str]:
    """Headless, offline, no first-run chores; --no-sandbox because CI runs as root."""
    return ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", f"--user-data-dir={profile}"]
