"""A topic with its own sampler hands over the draft it kept while screening: it must be the
draft that build makes from the same params (values, worked steps, parts and their mistakes)."""
import numpy as np
import pytest

from drills.catalog import TOPICS, topic_module
from drills.topics.draw import Draws

OWN_SAMPLERS = [t for t in TOPICS if hasattr(topic_module(t), "sample")]
SEEDS = range(60)


def _view(draft):
    return (draft.params, draft.context, draft.worked() if draft.worked else None,
            [(p.key, p.answer, list(p.mistakes)) for p in draft.finals + draft.fill_in()])


def test_the_topics_that_sample_their_own_drafts_are_checked():
    assert {"inverse", "vectors", "svd", "mse", "normal-equation", "gd-step", "sgd"} <= set(OWN_SAMPLERS)


@pytest.mark.parametrize("level", ["fill-in", "free-response"])
@pytest.mark.parametrize("topic", OWN_SAMPLERS)
def test_a_sampled_draft_is_the_one_its_params_build(topic, level):
    module = topic_module(topic)
    for seed in SEEDS:
        sampled = module.sample(Draws(np.random.default_rng(seed)), level)
        assert _view(sampled) == _view(module.build(sampled.params)), f"seed {seed}"
