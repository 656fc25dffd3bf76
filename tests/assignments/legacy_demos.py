"""Hand-kept demo expectations of the homeworks still built by their build_notebooks.py.

Transition only: when a homework moves to a notebook source and demos.toml (assignments/AUTHORING.md),
its expectations are computed from those instead: delete its entry here, and this file with the last.
"""

from dataclasses import dataclass

from graders.build.demos import SOLUTION_DEMO
from tests.assignments.demo import Expectation


@dataclass(frozen=True)
class Demos:
    full: dict[str, float]  # auto points per question
    partly_wrong_fails: frozenset[str]
    partly_wrong_scores: dict[str, float]  # questions that lose points, and what they keep
    raises_errors_fails: frozenset[str]
    raises_errors_scores: dict[str, float]
    raises_errors_cells: frozenset[str]  # the errors its cells raise


EXPECTED = {
    "hw3": Demos(
        full={"q1": 3.0, "q2": 4.0, "q3": 5.0},
        partly_wrong_fails=frozenset({
            # depth rounded to the nearest integer instead of up: both scale_baseline tests of q1's 4
            "test_scale_baseline", "test_scale_baseline_random",
            # the naive Inception module without its pooling branch: q2's optional part (no points)
            "test_output_channels_3a", "test_output_channels_other_configs",
            # a bias left in the grouped ResNeXt block's 3x3 convolution: 3 of q2's 8 scored tests
            "test_resnext_block_forms", "test_resnext_forms_other_configs", "test_each_form_computes_a_resnext_block",
            # the ResNet9 without its skip connections: it still learns, but is not residual (2 points)
            "test_network_is_residual",
        }),
        partly_wrong_scores={"q1": 1.5, "q2": 4 - 3 * 0.5, "q3": 3.0},
        raises_errors_fails=frozenset({
            "test_flops_multiplier", "test_flops_multiplier_random",  # NameError
            # the network's forward raises, so it never trains and cannot be run: every q3 test
            "test_network_is_residual", "test_predict_scenes_format", "test_accuracy_on_hidden_images",
        }),
        raises_errors_scores={"q1": 1.5, "q3": 0.0},
        raises_errors_cells=frozenset({"NameError: name 'gama' is not defined",
                                       "AttributeError: 'ResNet9' object has no attribute 'residual'"}),
    ),
}


def legacy_expectations(homework: str) -> dict[str, Expectation]:
    """The hand-kept expectations of a homework not yet migrated, in the computed ones' form."""
    if homework not in EXPECTED:
        raise AssertionError(f"{homework} has neither a notebook source with demos.toml nor an entry in legacy_demos.py")
    old = EXPECTED[homework]
    return {
        SOLUTION_DEMO: Expectation(frozenset(), old.full, frozenset()),
        "partly_wrong": Expectation(old.partly_wrong_fails, {**old.full, **old.partly_wrong_scores}, frozenset()),
        "raises_errors": Expectation(old.raises_errors_fails, {**old.full, **old.raises_errors_scores},
                                     old.raises_errors_cells),
    }
