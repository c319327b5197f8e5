"""Golden problems guard the generators against accidental change.

After an intended change, regenerate them with:  DRILLS_UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""
import json
import os
from pathlib import Path

import pytest

from drills import generate
from drills.catalog import TOPICS

GOLDEN = Path(__file__).parent / "golden"
SEEDS = (1, 2, 3)
CASES = [(t, level, s) for t, info in TOPICS.items() for level in info.levels for s in SEEDS]


@pytest.mark.parametrize("topic,level,seed", CASES)
def test_problem_matches_its_golden_file(topic, level, seed):
    path = GOLDEN / f"{topic}-{level}-{seed}.json"
    problem = generate(topic, level, seed=seed).to_dict()
    if os.environ.get("DRILLS_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(problem, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with DRILLS_UPDATE_GOLDEN=1"
    assert problem == json.loads(path.read_text(encoding="utf-8"))
