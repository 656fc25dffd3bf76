"""hw4's grader checks judged in an in-process kernel (no sandbox, no notebook run).

* Answers that are zero, constant or the identity fail every check, public and hidden, except
  where such an answer is the one asked for (listed in ASKED_FOR, each shown to pass).
* A notebook that answers only what the handout asks — no optional extension: no shift /
  correlate2d / max_unpool / transposed-conv code, only the two derivatives of q3, a
  receptive_field that knows one undilated layer — earns every automatic point of q1–q4.
  (q5 has no extension; the solution demo earns its points in test_demos.)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from types import ModuleType

import numpy as np
import pytest

from graders.data.bundled import ensure_dataset
from graders.data.image_folder import load_image_folder
from graders.expected import load
from graders.scoring import resolve_points
from graders.spec import load_assignment
from tests.assignments.in_process import ASSIGNMENTS, InProcessKernel, grader_tests, solution_code

SPEC = load_assignment(ASSIGNMENTS / "hw4")
FROZEN = load(ASSIGNMENTS / "hw4" / "tests" / "public" / "expected.json")
FAILED = (AssertionError, pytest.fail.Exception)
THEORY = ("q1", "q2", "q3", "q4")


def grader_checks(questions: tuple[str, ...]) -> Iterator[tuple[str, ModuleType, Callable]]:
    """(question, module, check function) of every public and hidden check of the questions."""
    for question in questions:
        for visibility in ("public", "hidden"):
            module = grader_tests("hw4", visibility, question)
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if name.startswith("test_") and function.__module__ == module.__name__:
                    yield question, module, function


def explicit_points(function: Callable) -> float | None:
    marks = [m for m in getattr(function, "pytestmark", []) if m.name == "points"]
    return float(marks[0].args[0]) if marks else None


# ---------------------------------------------------------------- q1-q4: degenerate answers

# Every array answer filled with one value, every number a fixed one.
FILLED = '''
import numpy as np
def shift(f, t): return np.full(np.shape(f), {fill})
def correlate2d(f, psi): return np.full(np.shape(f), {fill})
def max_unpool(pooled, switches, output_shape): return np.full((*np.shape(pooled)[:2], *output_shape), {fill})
def transposed_conv_output_size(n, kernel, stride, padding, output_padding=0): return {length}
def parameter_count(length=785, kernel=2, padding=1, pool=2, hidden=20): return {counts}
def gradients(x, y, params): return {{k: np.full(np.shape(v), {fill}) for k, v in params.items()}}
def receptive_field(kernel, dilation=1, layers=1): return {width}
def dilated_output_size(M, N, F, D): return {size}
def dilation_matrix(D): return np.full((D, D), {fill})
def dilated_conv2d(I, K, D): return np.full((len(I) - D * (len(K) - 1), len(I[0]) - D * (len(K[0]) - 1)), {fill})
'''
ZERO = FILLED.format(fill=0.0, length=0, counts=dict.fromkeys(("conv1", "avgpool1", "fc1", "z", "total"), 0), width=0, size=(0, 0))
# the handout's counts typed in, whatever the sizes asked
CONSTANT = FILLED.format(fill=1.0, length=7, counts={"conv1": 3, "avgpool1": 0, "fc1": 7880, "z": 21, "total": 7904},
                         width=3, size=(5, 5))

IDENTITY = '''
import numpy as np
def shift(f, t): return np.asarray(f)
def correlate2d(f, psi): return np.asarray(f)
def max_unpool(pooled, switches, output_shape): return np.asarray(pooled)
def transposed_conv_output_size(n, kernel, stride, padding, output_padding=0): return n
def parameter_count(length=785, kernel=2, padding=1, pool=2, hidden=20):
    return {"conv1": kernel, "avgpool1": pool, "fc1": hidden, "z": 1, "total": length}
def gradients(x, y, params): return dict(params)
def receptive_field(kernel, dilation=1, layers=1): return kernel
def dilated_output_size(M, N, F, D): return (M, N)
def dilation_matrix(D): return np.eye(D)
def dilated_conv2d(I, K, D): return np.asarray(I)
'''

DEGENERATE = {"zero": ZERO, "constant": CONSTANT, "identity": IDENTITY}

# Degenerate answers that are the answer asked for: the handout's counts typed in pass the check of
# the handout's network (and fail the other sizes); one undilated K×K layer's receptive field is K.
ASKED_FOR = {
    ("constant", "test_parameter_count_of_the_handouts_network"),
    ("identity", "test_receptive_field_of_one_layer"),
    ("identity", "test_receptive_field_of_one_layer_many_kernels"),
}


def passes(check: Callable, stand_ins: dict[str, Callable[[], object]]) -> bool:
    """Whether a check passes, its fixtures made by `stand_ins` (name -> maker). A fixture without
    a stand-in is this test's error; an error raised while making or running one (the answer's
    own, e.g. a shape it cannot handle) fails the check, as the grader records it."""
    makers = [stand_ins[name] for name in inspect.signature(check).parameters]
    try:
        check(*(make() for make in makers))
    except (Exception, pytest.fail.Exception):  # a failed assertion, pytest.fail, or the answer's own error
        return False
    return True


def theory_stand_ins(module: ModuleType, kernel: InProcessKernel) -> dict[str, Callable[[], object]]:
    return {
        "kernel": lambda: kernel,
        "expected": lambda: FROZEN.__getitem__,
        "one_example": lambda: module.example_derivatives(kernel, FROZEN.__getitem__),
        "examples": lambda: module.gradient_examples(kernel),
    }


THEORY_CHECKS = list(grader_checks(THEORY))


@pytest.mark.parametrize("design", DEGENERATE)
def test_degenerate_answers_fail_every_theory_check(design):
    kernel = InProcessKernel(DEGENERATE[design])
    verdicts = {check.__name__: passes(check, theory_stand_ins(module, kernel)) for _, module, check in THEORY_CHECKS}
    asked_for = {name for kind, name in ASKED_FOR if kind == design}
    assert {name for name, passed in verdicts.items() if passed} == asked_for


SOLUTION = solution_code("hw4", "q1-2", "q2-2", "q3-2", "q3-3", "q4-2", "q4-3", "q4-4", "q4-5")


@pytest.mark.parametrize(("swap", "reason"), [
    ("def correlate2d(f, psi): return np.zeros(np.shape(f))", "constant"),
    ("def shift(f, t): return np.asarray(f)", "unchanged"),
    ("def correlate2d(f, psi): return np.asarray(f, dtype=float)", "does not depend on the filter"),
], ids=["zero-correlation", "shift-moves-nothing", "correlation-ignores-the-filter"])
def test_a_trivially_true_identity_fails_both_equivariance_checks(swap, reason):
    """One function right and the other degenerate: the identity holds, for nothing."""
    kernel = InProcessKernel(SOLUTION + "\n" + swap)
    public, hidden = grader_tests("hw4", "public", "q1"), grader_tests("hw4", "hidden", "q1")
    with pytest.raises(FAILED, match=reason):
        public.test_your_functions_are_translation_equivariant(kernel, FROZEN.__getitem__)
    with pytest.raises(FAILED, match="differs from the definition"):
        hidden.test_equivariance_on_random_arrays(kernel)


# ---------------------------------------------------------------- q1-q4: what the handout asks, only

HANDOUT_ONLY = SOLUTION + '''
def unanswered(*args, **kwargs):
    raise NotImplementedError("replace this line with your answer")

shift = correlate2d = max_unpool = transposed_conv_output_size = unanswered

def receptive_field(kernel, dilation=1, layers=1):
    if (dilation, layers) != (1, 1):
        raise NotImplementedError("only one undilated layer is asked")
    return kernel

all_derivatives = gradients

def gradients(x, y, params):
    asked = all_derivatives(x, y, params)
    return {"W_A": asked["W_A"], "W_C_1": asked["W_C_1"]}
'''


def test_a_notebook_that_answers_only_the_handout_earns_every_auto_point():
    kernel = InProcessKernel(HANDOUT_ONLY)
    checks = THEORY_CHECKS
    points = resolve_points({q.id: q.auto_points for q in SPEC.questions if q.id in THEORY},
                            [(check.__name__, question, explicit_points(check)) for question, _, check in checks])
    earned = {q: 0.0 for q in THEORY}
    extensions_failed = set()
    for question, module, check in checks:
        if passes(check, theory_stand_ins(module, kernel)):
            earned[question] += points[check.__name__]
        else:
            assert points[check.__name__] == 0, f"{check.__name__} fails for a handout-following answer and is worth points"
            extensions_failed.add(check.__name__)
    assert earned == pytest.approx({q.id: q.auto_points for q in SPEC.questions if q.id in THEORY})
    # the optional extensions are real checks: the handout-only answer fails each of them
    assert extensions_failed == {check.__name__ for _, _, check in checks if points[check.__name__] == 0}


# ---------------------------------------------------------------- q5: degenerate answers

Q5_COMMON = '''
import numpy as np
from torch import nn

from graders.data.bundled import ensure_dataset
from graders.data.image_folder import load_image_folder

N_TRAIN = len(load_image_folder(ensure_dataset("affectnet-tiny") / "Train")[1])

def untrained_head(n_classes=8, pretrained=True):
    return nn.Sequential(nn.Flatten(), nn.Linear(3 * 128 * 128, n_classes))

build_vgg16_transfer = untrained_head
model = nn.Linear(1, 8)
def build_lightweight_vgg(n_classes=8):
    return nn.Linear(1, n_classes)
'''

Q5_DEGENERATE = {
    "zero": Q5_COMMON + '''
x_train = np.zeros((N_TRAIN, 128, 128, 3), dtype=np.float32)
def augment(images, rng): return np.zeros_like(images)
def predict_proba(images): return np.zeros((len(images), 8))
def class_activation_map(image, class_index): return np.zeros((128, 128))
''',
    "constant": Q5_COMMON + '''
x_train = np.full((N_TRAIN, 128, 128, 3), 0.5, dtype=np.float32)
def augment(images, rng): return np.full_like(images, 0.5)
def predict_proba(images): return np.full((len(images), 8), 1 / 8)
def class_activation_map(image, class_index): return np.ones((128, 128))
''',
    "identity": Q5_COMMON + '''
build_vgg16_transfer = lambda n_classes=8, pretrained=True: nn.Identity()
model = nn.Identity()
build_lightweight_vgg = lambda n_classes=8: nn.Identity()
x_train = load_image_folder(ensure_dataset("affectnet-tiny") / "Train", (128, 128))[0] * 255  # never normalised
def augment(images, rng): return np.asarray(images)
def predict_proba(images):  # a softmax of each image's first eight pixel values
    logits = np.asarray(images, dtype=float).reshape(len(images), -1)[:, :8]
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)
def class_activation_map(image, class_index):  # the image's brightness, not a class's evidence
    grey = np.asarray(image, dtype=float).mean(axis=2)
    return (grey - grey.min()) / (grey.max() - grey.min())
''',
    "one-fixed-map": Q5_COMMON + '''
x_train = np.zeros((N_TRAIN, 128, 128, 3), dtype=np.float32)
def augment(images, rng): return np.zeros_like(images)
def predict_proba(images): return np.full((len(images), 8), 1 / 8)
def class_activation_map(image, class_index): return np.tile(np.linspace(0, 1, 128), (128, 1))
''',
}

# A softmax of the pixels is a probability output: only the hidden accuracy and AUC tell it from a model's.
Q5_ASKED_FOR = {("identity", "test_c_predict_proba_returns_probabilities")}


@pytest.fixture(scope="module")
def affectnet():
    """The tiny AffectNet's folder and its Validation images and labels."""
    folder = ensure_dataset("affectnet-tiny")
    images, labels, _ = load_image_folder(folder / "Validation", (128, 128))
    return folder, images, labels


@pytest.mark.parametrize("design", Q5_DEGENERATE)
def test_degenerate_answers_fail_every_q5_check(design, affectnet):
    folder, images, labels = affectnet
    kernel = InProcessKernel(Q5_DEGENERATE[design])
    shown = np.concatenate([np.flatnonzero(labels == k)[:2] for k in range(8)])
    stand_ins = {
        "kernel": lambda: kernel,
        "expected": lambda: FROZEN.__getitem__,
        "dataset_dir": lambda: {"affectnet": folder}.__getitem__,
        "validation_images": lambda: images[shown],
        "hidden_set": lambda: (images, labels),
        "hidden_probabilities": lambda: np.asarray(kernel.call("predict_proba", images), dtype=float),
        "threshold": lambda: lambda metric: SPEC.question("q5").threshold("tiny", metric),
    }
    passed = {check.__name__ for _, _, check in grader_checks(("q5",)) if passes(check, stand_ins)}
    assert passed == {name for kind, name in Q5_ASKED_FOR if kind == design}
