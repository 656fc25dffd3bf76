"""hw2.q6's checks accept every valid design and reject invalid ones: the grader's own test
functions (assignments/hw2/tests/public/test_q6.py) judge several student designs, each run in
an in-process kernel, and the reference's model family, whose depths and batch-norm variants are
the two comparisons the question asks for."""

import pytest
import torch

from reference.hw2.q6_cifar_models import ConvNet
from tests.assignments.in_process import InProcessKernel, grader_tests

CHECKS = grader_tests("hw2", "public", "q6")
FAILED = (AssertionError, pytest.fail.Exception)

IMPORTS = "import torch\nimport torch.nn as nn\n"

# depth = conv blocks of one width (the solution's design), global average pooling
CONSTANT_WIDTH = IMPORTS + '''
DEPTHS = [1, 2, 3]

class Net(nn.Module):
    def __init__(self, depth, batch_norm):
        super().__init__()
        layers, channels = [], 3
        for _ in range(depth):
            layers += [nn.Conv2d(channels, 16, 3, padding=1)] + ([nn.BatchNorm2d(16)] if batch_norm else [])
            layers += [nn.ReLU(), nn.MaxPool2d(2)]
            channels = 16
        self.body = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(16, 10)

    def forward(self, x):
        return self.head(self.body(x))

def build_model(depth, batch_norm=False):
    return Net(depth, batch_norm)
'''

# depth = VGG-style blocks that double the channels; a flatten head whose input shrinks with depth
VGG_LIKE = IMPORTS + '''
DEPTHS = (2, 4)

def build_model(depth, batch_norm=False):
    layers, channels = [], 3
    for block in range(depth):
        width = 8 * 2 ** block
        for _ in range(2):
            layers += [nn.Conv2d(channels, width, 3, padding=1)]
            layers += [nn.BatchNorm2d(width)] if batch_norm else []
            layers += [nn.ReLU()]
            channels = width
        layers += [nn.MaxPool2d(2)]
    side = 32 // 2 ** depth
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(channels * side * side, 64), nn.ReLU(), nn.Linear(64, 10))
'''

# depth = hidden dense layers after a fixed convolutional stem
DENSE_DEPTH = IMPORTS + '''
DEPTHS = [0, 1, 2]

def build_model(depth, batch_norm=False):
    stem = [nn.Conv2d(3, 6, 5), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2)] if batch_norm else \\
           [nn.Conv2d(3, 6, 5), nn.ReLU(), nn.MaxPool2d(2)]
    layers, width = [*stem, nn.Flatten()], 6 * 14 * 14
    for _ in range(depth):
        layers += [nn.Linear(width, 32), nn.ReLU()]
        width = 32
    return nn.Sequential(*layers, nn.Linear(width, 10))
'''

# the first version's models 1 and 3 presented as depths 1 and 2: deeper, but also wider, with other kernels
SEED_MODELS = IMPORTS + '''
DEPTHS = [1, 2]

def build_model(depth, batch_norm=False):
    norm = (lambda c: nn.BatchNorm2d(c)) if batch_norm else (lambda c: nn.Identity())
    if depth == 1:
        return nn.Sequential(nn.Conv2d(3, 6, 5), norm(6), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), norm(16),
                             nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 10))
    return nn.Sequential(nn.Conv2d(3, 30, 3), norm(30), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(30, 30, 3), norm(30),
                         nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1080, 120), nn.ReLU(), nn.Linear(120, 84),
                         nn.ReLU(), nn.Linear(84, 10))
'''


@pytest.mark.parametrize("design", [CONSTANT_WIDTH, VGG_LIKE, DENSE_DEPTH], ids=["constant-width", "vgg-like", "dense-depth"])
def test_valid_designs_pass_the_depth_and_batch_norm_checks(design):
    kernel = InProcessKernel(design)
    CHECKS.test_depth_study(kernel)
    CHECKS.test_batch_norm_comparison(kernel)


def test_models_that_also_change_width_and_kernels_are_not_a_depth_study():
    kernel = InProcessKernel(SEED_MODELS)
    with pytest.raises(FAILED, match="do not differ in depth only: the deeper model changes conv layers"):
        CHECKS.test_depth_study(kernel)
    CHECKS.test_batch_norm_comparison(kernel)  # its batch-norm variant adds batch norm and nothing else


def test_a_batch_norm_variant_that_also_widens_the_model_fails():
    kernel = InProcessKernel(CONSTANT_WIDTH.replace("return Net(depth, batch_norm)",
                                                    "return Net(depth, batch_norm) if not batch_norm else Net(depth + 1, True)"))
    CHECKS.test_depth_study(kernel)
    with pytest.raises(FAILED, match="differ in more than batch norm"):
        CHECKS.test_batch_norm_comparison(kernel)


def test_batch_norm_layers_that_forward_never_uses_fail():
    unused = CONSTANT_WIDTH.replace("        self.head = nn.Linear(16, 10)",
                                    "        self.head = nn.Linear(16, 10)\n        self.norm = nn.BatchNorm2d(16) if batch_norm else None")
    unused = unused.replace("([nn.BatchNorm2d(16)] if batch_norm else [])", "[]")
    kernel = InProcessKernel(unused)
    CHECKS.test_depth_study(kernel)
    with pytest.raises(FAILED, match="does not normalise with them"):
        CHECKS.test_batch_norm_comparison(kernel)


@pytest.mark.parametrize("depths", ["[2]", "[2, 2]", "[1.0, 2.0]", "None"])
def test_a_study_needs_two_integer_depths(depths):
    kernel = InProcessKernel(CONSTANT_WIDTH.replace("DEPTHS = [1, 2, 3]", f"DEPTHS = {depths}"))
    with pytest.raises((*FAILED, TypeError), match="DEPTHS is|not iterable"):
        CHECKS.test_depth_study(kernel)


def layers_of(model: torch.nn.Module):
    """The check's summary of `model`, read through a kernel as a student's model is."""
    kernel = InProcessKernel(IMPORTS)
    kernel.namespace["model"] = model
    return CHECKS.summary(kernel, "model")


def test_the_reference_family_is_a_depth_study_and_a_batch_norm_comparison():
    depth_only, batch_norm_only = CHECKS.depth_only_difference, CHECKS.batch_norm_only_difference
    for shallow, deep in ((1, 2), (2, 3), (1, 5)):
        assert depth_only(layers_of(ConvNet(shallow)), layers_of(ConvNet(deep))) is None
        assert depth_only(layers_of(ConvNet(deep)), layers_of(ConvNet(shallow))) is not None  # not deeper
    for depth in (1, 3):
        assert batch_norm_only(layers_of(ConvNet(depth)), layers_of(ConvNet(depth, batch_norm=True))) is None
    # a width study and a batch-norm model are not depth studies; a different depth is not a batch-norm comparison
    assert "not deeper" in depth_only(layers_of(ConvNet(2, 16)), layers_of(ConvNet(2, 32)))
    assert "batch norm" in depth_only(layers_of(ConvNet(2, batch_norm=True)), layers_of(ConvNet(3, batch_norm=True)))
    assert "more than batch norm" in batch_norm_only(layers_of(ConvNet(2)), layers_of(ConvNet(3, batch_norm=True)))


@pytest.mark.parametrize("raw", [None, [["conv", 3, 8, 3]], [["conv", 3, 8, 3, True]], [["pool", 2]], [[]], "conv"])
def test_layer_descriptions_that_are_not_layers_are_refused(raw):
    with pytest.raises(ValueError):
        CHECKS.parse_summary(raw)
