"""The HTML worksheet in a real headless browser: it loads offline without errors, matrices and
fractions are laid out as math, students' sheets print on pages of their own.

Needs Chromium (installed by .ci/run); skipped without it. The screenshot is kept in
tests/artifacts/ (git-ignored).
"""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from drills.cli import main
from drills.publish import chromium_flags, find_chromium
from drills.sheetid import sheet_spec

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium: install it (apt-get install chromium)")
ARTIFACTS = Path(__file__).parent / "artifacts"

# Injected by the test only: the worksheet itself has no script. It records errors (resource
# errors included) and, once loaded, the boxes of every fraction and matrix, as JSON in the DOM.
PROBE_HEAD = """<script>
window.__errors = [];
window.addEventListener("error", e => window.__errors.push(String(e.message || e.target.outerHTML)), true);
</script>"""
PROBE_BODY = """<script>
window.addEventListener("load", () => {
  const box = el => { const r = el.getBoundingClientRect();
                      return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const report = {
    errors: window.__errors,
    resources: performance.getEntriesByType("resource").map(r => r.name),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    fractions: Array.from(document.querySelectorAll("mfrac")).map(f => Array.from(f.children).map(box)),
    matrices: Array.from(document.querySelectorAll("mtable")).map(t =>
      Array.from(t.querySelectorAll(":scope > mtr")).map(row =>
        Array.from(row.querySelectorAll(":scope > mtd")).map(box))),
  };
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify(report);
  document.body.appendChild(out);
});
</script>"""


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *chromium_flags(tmp_path / "profile"), *args],
                          capture_output=True, text=True, timeout=120)


def probe(tmp_path: Path, page: Path) -> dict:
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    probed = tmp_path / f"probed-{page.name}"
    probed.write_text(html.replace("<head>", "<head>" + PROBE_HEAD, 1).replace("</body>", PROBE_BODY + "</body>", 1),
                      encoding="utf-8")
    done = chromium(tmp_path, "--window-size=1000,1400", "--virtual-time-budget=5000", "--dump-dom",
                    probed.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.DOTALL)
    assert found, f"the probe did not report (exit {done.returncode}): {done.stderr[-500:]}"
    assert "Uncaught" not in done.stderr
    return json.loads(found[1].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    where = tmp_path_factory.mktemp("browser")
    roster = where / "class.txt"
    roster.write_text("Ada Lovelace\nAlan Turing\n", encoding="utf-8")
    code = main(["worksheet", "-t", "inverse", "-t", "normal-equation", "-t", "gd-step", "-n", "3", "--seed", "4",
                 "--students", str(roster), "-o", str(where / "sheet.html"), "--key", str(where / "key.html")])
    assert code == 0
    return where


@pytest.mark.parametrize("name", ["sheet.html", "key.html"])
def test_page_loads_offline_and_lays_out_math(pages, tmp_path, name):
    report = probe(tmp_path, pages / name)
    assert report["errors"] == [] and report["resources"] == []     # nothing fetched: works offline
    assert report["overflow"] <= 0, "the page is wider than the window"
    matrices = [m for m in report["matrices"] if len(m) >= 2 and len(m[0]) >= 2]
    assert matrices, "no matrix of 2×2 or more to measure"
    for rows in matrices:
        for upper, lower in zip(rows, rows[1:]):                      # rows stacked top to bottom
            assert min(c["top"] for c in lower) >= max(c["bottom"] for c in upper) - 1
        for row in rows:                                               # columns side by side, one line
            for left, right in zip(row, row[1:]):
                assert right["left"] >= left["right"] - 1
                assert right["top"] < left["bottom"] and left["top"] < right["bottom"]
    if name == "key.html":
        assert report["fractions"], "the key shows fractions (an inverse's entries)"
    for numerator, denominator in report["fractions"]:                 # numerator over denominator
        assert numerator["bottom"] <= denominator["top"] + 1
        assert numerator["left"] < denominator["right"] and denominator["left"] < numerator["right"]


def test_screenshot_is_kept(pages, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "worksheet.png"
    shot.unlink(missing_ok=True)
    done = chromium(tmp_path, "--window-size=1000,1600", "--hide-scrollbars", f"--screenshot={shot}",
                    (pages / "sheet.html").as_uri())
    assert done.returncode == 0 and shot.is_file()
    header = shot.read_bytes()[:24]
    assert header.startswith(b"\x89PNG") and int.from_bytes(header[16:20], "big") == 1000
    print(f"\nscreenshot: {shot}")


def test_each_student_prints_on_pages_of_their_own(capsys, tmp_path):
    roster = tmp_path / "class.txt"
    roster.write_text("Ada\nBob\nCy\n", encoding="utf-8")
    code = main(["worksheet", "-t", "matmul", "-n", "1", "--seed", "1", "--students", str(roster),
                 "-o", str(tmp_path / "sheets.pdf")])
    assert code == 0 and "3 students" in capsys.readouterr().out
    pdf = (tmp_path / "sheets.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 3          # one short sheet a page


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_a_problem_prints_on_one_page_with_its_first_box(tmp_path):
    spec = sheet_spec(["matmul", "inverse"], "free-response", 6, 101)     # problem 3 once split over pages 1-2
    assert main(["worksheet", "--id", spec.id, "-o", str(tmp_path / "s.pdf")]) == 0
    done = subprocess.run(["pdftotext", str(tmp_path / "s.pdf"), "-"], capture_output=True, text=True, timeout=60)
    pages = done.stdout.split("\f")[:-1]
    assert len(pages) >= 2
    for page in pages:                                   # a problem's heading, statement and first box together
        assert re.findall(r"^(\d+)\. ", page, re.M) == re.findall(r"^(\d+)a ", page, re.M)
