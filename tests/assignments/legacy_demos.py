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
    "hw2": Demos(
        full={"q1": 4.0, "q2": 3.0, "q3": 0.0, "q4": 2.0, "q5": 2.0, "q6": 8.0},
        partly_wrong_fails=frozenset({
            # dL/dX with the kernel not rotated: the 2 dx tests of q1's 8
            "test_conv2d_backward[dx]", "test_conv2d_backward_random[dx]",
            # xavier_uniform's bound is the standard deviation: the 4 statistics tests of q2's 8
            "test_xavier_uniform_statistics", "test_xavier_uniform_other_fans[dense-1000-10]",
            "test_xavier_uniform_other_fans[conv-64-128-3x3]", "test_xavier_uniform_other_fans[dense-20-700]",
            # L2 pooling as a root-mean-square: the l2 tests of q3's optional part (no points)
            "test_pool2d_small_example[l2]", "test_pool2d_random_shapes[l2]",
            # q6: the width grows with the depth (2 points) and the confusion matrix is transposed (0.5 + 1.5)
            "test_depth_study", "test_confusion_matrix_small_example", "test_confusion_matrix_of_your_predictions",
        }),
        partly_wrong_scores={"q1": 4 - 2 * 0.5, "q2": 3 * 4 / 8, "q6": 8 - 2 - 2},
        raises_errors_fails=frozenset({
            "test_ce_sigmoid_logit_grad", "test_logit_gradient_on_random_logits[ce_sigmoid_logit_grad]",  # NameError
            "test_leaky_relu_derivative", "test_leaky_relu_derivative_random",  # a stub left in
        }),
        raises_errors_scores={"q4": 1.0, "q5": 1.0},
        raises_errors_cells=frozenset({"NameError: name 'sigmod' is not defined",
                                       "NotImplementedError: replace this line with your answer"}),
    ),
    "hw5": Demos(
        full={"q1": 4.0, "q2": 3.0, "q3": 4.0, "q4": 4.0, "q5": 5.0},
        partly_wrong_fails=frozenset({
            # the running variance fed with the biased batch variance: 2 of q1's 8 tests
            "test_running_statistics_after_one_training_step", "test_running_statistics_on_random_tensors",
            # ReLUs counted as conv layers: 2 of q4's 5 tests
            "test_feature_map_shapes_at_224", "test_feature_map_shapes_for_hidden_sizes",
        }),
        partly_wrong_scores={"q1": 4 - 2 * 4 / 8, "q4": 4 - 2 * 4 / 5},
        raises_errors_fails=frozenset({
            # build_model raises NameError for the batch-norm variants: every q3 test
            "test_four_variants_with_their_regularisers", "test_batchnorm_adds_two_parameters_per_channel_and_dropout_none",
            "test_every_variant_is_trained", "test_best_model_accuracy_on_hidden_images",
            # conv_transpose2d left a stub: 4 of q5's 11 tests
            "test_conv_transpose2d", "test_adjoint_identity_with_your_functions",
            "test_conv_transpose2d_on_random_tensors", "test_adjoint_identity_on_random_tensors",
        }),
        raises_errors_scores={"q3": 0.0, "q5": 5 - 4 * 5 / 11},
        raises_errors_cells=frozenset({"NameError: name 'BatchNorm2d' is not defined",
                                       "NotImplementedError: replace this line with your answer"}),
    ),
    "hw9": Demos(
        full={"q1": 4.0, "q2": 3.0, "q3": 5.0, "q4": 4.0},
        partly_wrong_fails=frozenset({
            # conv parameters without the biases: 2 of q1's 8 tests
            "test_conv2d_and_conv3d_parameter_counts", "test_conv_parameter_counts_random_settings",
            # the optimizer not tuned (Adam only): the space and its largest models, 2 of q3's 7 tests
            "test_search_space_within_the_limits", "test_largest_models_of_the_space_within_the_limits",
            # the locally connected layer counted like a shared-weight conv: 2 of q4's 5 tests
            "test_parameters_per_layer_and_total", "test_table_for_other_inputs",
        }),
        partly_wrong_scores={"q1": 4 - 2 * 4 / 8, "q3": 5 - 2 * 5 / 7, "q4": 4 - 2 * 4 / 5},
        raises_errors_fails=frozenset({
            # apply_kernel raises NameError: 3 of the 4 tests that share q2's 2 points (img1 is read right)
            "test_filtered_images", "test_four_kernels_on_hidden_images", "test_other_kernels_on_hidden_images",
            # build_best_model left a stub, so no `model` is trained: 4 of q3's 7 tests
            "test_best_model_within_the_limits", "test_parameter_count_of_the_best_model",
            "test_model_predicts_class_probabilities", "test_accuracy_on_hidden_images",
        }),
        raises_errors_scores={"q2": 1 + 2 * 1 / 4, "q3": 5 * 3 / 7},
        raises_errors_cells=frozenset({"NameError: name 'img' is not defined",
                                       "NotImplementedError: replace this line with your answer"}),
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
