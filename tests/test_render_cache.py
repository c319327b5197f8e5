"""Compiled templates cached between runs never leak from one output format into another."""
import os
import subprocess
import sys

SCRIPT = """
from drills import generate
shape = {"A": [[1, 2], [3, 4]], "B": [[1, 2, 3]], "ask": "shape"}     # its prompt quotes "undefined"
html = generate("matmul", "free-response", params=shape, fmt="html").prompt
text = generate("matmul", "free-response", params=shape).prompt
print(repr(text))
"""


def test_a_warm_cache_gives_the_same_text_as_a_cold_one(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}            # a fresh cache folder for this test
    runs = [subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env,
                           timeout=60) for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[0].stderr
    cold, warm = (r.stdout for r in runs)
    assert '"undefined"' in cold and "&#34;" not in cold
    assert warm == cold
    assert any(name.startswith("_jinja2-cache") for name in os.listdir(tmp_path))


FORMATS_SCRIPT = """
import sys
from drills import generate
for fmt in sys.argv[1:]:
    prompt = generate("transpose", "free-response", params={"A": [[1, 2], [3, 4]]}, fmt=fmt).prompt
print(repr(prompt))
"""


def test_math_folded_into_a_compiled_template_stays_in_its_format(tmp_path):
    """The `m` filter's math is baked into the compiled template, so each format compiles its own:
    a text prompt after a Markdown one in the same cache reads as one from a cold cache."""
    def last_prompt(cache, *formats):
        run = subprocess.run([sys.executable, "-c", FORMATS_SCRIPT, *formats], capture_output=True,
                             text=True, env={**os.environ, "TMPDIR": str(cache)}, timeout=60)
        assert run.returncode == 0, run.stderr
        return run.stdout
    (tmp_path / "shared").mkdir()
    (tmp_path / "cold").mkdir()
    last_prompt(tmp_path / "shared", "md", "tex")
    warm = last_prompt(tmp_path / "shared", "text")
    assert warm == last_prompt(tmp_path / "cold", "text")
    assert "Aᵀ" in warm and "$" not in warm and "\\\\top" not in warm
