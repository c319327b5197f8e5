"""A topic with its own sampler hands over the draft it kept while screening: it must be the
draft that build makes from the same params (values, worked steps, parts and their mistakes),
and render to the same problem (ints where build has whole Fractions must not show)."""
import pytest

from drills import generate
from drills.catalog import TOPICS, topic_module
from drills.problem import assemble
from drills.topics.draw import Draws

OWN_SAMPLERS = [t for t in TOPICS if hasattr(topic_module(t), "sample")]
SEEDS = range(60)


def _view(topic, level, draft):
    return (draft.params, draft.context, draft.worked() if draft.worked else None,
            [(p.key, p.answer, list(p.mistakes)) for p in draft.finals + draft.fill_in()],
            assemble(topic, level, None, draft).to_dict())


def test_the_topics_that_sample_their_own_drafts_are_checked():
    assert {"inverse", "vectors", "svd", "mse", "normal-equation", "gd-step", "sgd"} <= set(OWN_SAMPLERS)


@pytest.mark.parametrize("level", ["fill-in", "free-response"])
@pytest.mark.parametrize("topic", OWN_SAMPLERS)
def test_a_sampled_draft_is_the_one_its_params_build(topic, level):
    module = topic_module(topic)
    for seed in SEEDS:
        sampled = module.sample(Draws(seed), level)
        built = module.build(sampled.params)
        assert _view(topic, level, sampled) == _view(topic, level, built), f"seed {seed}"


def _zeroed(value):
    """Every number in nested lists set to 0, in place."""
    if isinstance(value, dict):
        for v in value.values():
            _zeroed(v)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            if isinstance(v, (dict, list)):
                _zeroed(v)
            elif isinstance(v, (int, float)):
                value[i] = 0


@pytest.mark.parametrize("topic", OWN_SAMPLERS)
def test_changing_a_problems_params_leaves_its_solution_and_grading_alone(topic):
    for seed in range(20):
        problem, fresh = (generate(topic, "fill-in", seed=seed) for _ in range(2))
        _zeroed(problem.params)
        assert problem.solution == fresh.solution, f"seed {seed}"
        assert [list(p.mistakes) for p in problem.parts] == [list(p.mistakes) for p in fresh.parts], f"seed {seed}"
