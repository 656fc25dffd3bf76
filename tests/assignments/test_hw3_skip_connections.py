"""hw3.q3's residual check (assignments/hw3/tests/public/test_q3.py): the skip connections it reads
from the autograd graph, counted against an independent oracle — the additions and concatenations
torch.fx finds when it traces the same network — on residual networks of several families, and
none on plain or Inception-style ones."""

import operator

import pytest
import torch
import torchvision

from reference.hw2.q6_cifar_models import ConvNet
from reference.hw3.q2_inception import InceptionModule, InceptionResNetBlock
from reference.hw3.q2_resnext import GroupedBlock
from reference.hw3.q3_resnet import ResNet9
from tests.assignments.in_process import grader_tests

CHECKS = grader_tests("hw3", "public", "q3")
Graph, autograd_graph, graph_expression, skip_connections = (
    CHECKS.Graph, CHECKS.autograd_graph, CHECKS.graph_expression, CHECKS.skip_connections)


def fx_merges(model: torch.nn.Module) -> tuple[int, int]:
    """(additions of two tensors, concatenations of two or more) in the torch.fx trace of `model`."""
    nodes = torch.fx.symbolic_trace(model).graph.nodes
    adds = [n for n in nodes if n.op == "call_function" and n.target in (operator.add, operator.iadd, torch.add)
            and sum(isinstance(a, torch.fx.Node) for a in n.args) == 2]
    cats = [n for n in nodes if n.op == "call_function" and n.target is torch.cat and len(n.args[0]) >= 2]
    return len(adds), len(cats)


def skips_of(model: torch.nn.Module, size: int = 32):
    return skip_connections(Graph.from_answer(autograd_graph(model, size)))


def wrapped(block: torch.nn.Module, channels: int) -> torch.nn.Module:
    """A stem to `channels` channels in front of a block, so that it takes an RGB image."""
    return torch.nn.Sequential(torch.nn.Conv2d(3, channels, 3, padding=1), torch.nn.ReLU(), block)


# name: (network, its skip connections by kind, which of fx's merges are the skip connections)
RESIDUAL = {
    "resnet9": (lambda: ResNet9(input_size=32), {"identity": 2}, "adds"),
    "resnet18": (lambda: torchvision.models.resnet18(num_classes=6), {"identity": 5, "projection": 3}, "adds"),
    # inverted residuals (EfficientNet's MBConv without squeeze-and-excitation); at a quarter of the width
    # the channels round to multiples of 8, so one more block than the full model keeps its width
    "mobilenet_v2": (lambda: torchvision.models.mobilenet_v2(num_classes=6, width_mult=0.25), {"identity": 11}, "adds"),
    # a dense block of n layers concatenates n times with two or more inputs (the first layer's input alone is no merge)
    "small_densenet": (lambda: torchvision.models.DenseNet(8, (2, 3), 16, num_classes=6), {"identity": 5}, "cats"),
    # its branches are concatenated (parallel paths, no skip), the block's input is added: one skip
    "inception_resnet_block": (lambda: wrapped(InceptionResNetBlock(16, 8), 16), {"identity": 1}, "adds"),
    "resnext_block": (lambda: wrapped(GroupedBlock(16, 4, 2), 16), {"identity": 1}, "adds"),
}


@pytest.mark.parametrize("name", RESIDUAL)
def test_skip_connections_of_residual_networks_match_the_fx_trace(name: str) -> None:
    build, kinds, merges = RESIDUAL[name]
    torch.manual_seed(0)
    model = build()
    found = skips_of(model)
    assert {kind: sum(s.kind == kind for s in found) for kind in kinds} == kinds
    adds, cats = fx_merges(model)
    assert len(found) == (adds if merges == "adds" else cats)


@pytest.mark.parametrize("build", [lambda: ConvNet(3, batch_norm=True), lambda: torchvision.models.squeezenet1_0(num_classes=6),
                                   lambda: wrapped(InceptionModule(), 192)],
                         ids=["plain-cnn", "squeezenet", "inception-module"])
def test_plain_and_inception_style_networks_have_none(build) -> None:
    model = build()
    assert skips_of(model, 64) == []
    if not isinstance(model, ConvNet):
        assert fx_merges(model)[1] > 0  # they do concatenate: parallel branches, not a block's input and output


def test_a_skip_must_go_around_a_layer_with_weights() -> None:
    class NoWeightsInside(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 4, 3)

        def forward(self, x):
            h = self.conv(x)
            return (h + torch.relu(h)).mean((2, 3))  # input + a function of it, but no layer in between

    assert skips_of(NoWeightsInside()) == []


def test_the_expression_runs_the_same_function_in_a_kernel_namespace_and_leaves_it_clean() -> None:
    namespace = {"model": ResNet9(input_size=32), "IMAGE_SIZE": 32}
    raw = eval(graph_expression("model", "IMAGE_SIZE"), namespace)
    assert set(namespace) == {"model", "IMAGE_SIZE", "__builtins__"}
    assert len(skip_connections(Graph.from_answer(raw))) == 2
    assert namespace["model"].training  # the model's mode is restored


@pytest.mark.parametrize("raw", [None, [], {"names": ["A"]}, {"names": ["A"], "inputs": [[1]]},
                                 {"names": [1], "inputs": [[]]}, {"names": ["A", "B"], "inputs": [[True], []]}])
def test_malformed_graphs_are_refused(raw) -> None:
    with pytest.raises(ValueError):
        Graph.from_answer(raw)
