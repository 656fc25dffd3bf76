"""Finding answers under the student's own names, on live kernels (no sandbox batch): declared
names first, candidates tried on the example only, one search per notebook, models by shape
and training, and what the kernel lists read with care."""

from __future__ import annotations

import numpy as np
import pytest

from graders import discovery
from graders.discovery import AnswerNotFound, Found, GradedNotebook, agrees, closest_first, place_expression
from graders.kernel import StudentKernel
from tests.engine.toy import live_kernel, notebook

SHAPES = (
    "import numpy as np\n"
    "probes = []\n"
    "def conv_shape(in_shape, out_channels, kernel, stride=1, padding=0):\n"
    "    probes.append('conv_shape')\n"
    "    return (out_channels, *[(n + 2 * padding - kernel) // stride + 1 for n in in_shape[1:]])\n"
    "def wrong_shape(in_shape, out_channels, kernel, stride=1, padding=0):\n"
    "    probes.append('wrong_shape')\n"
    "    return (out_channels, 1, 1)\n"
    "def two_arguments(a, b):\n"
    "    probes.append('two_arguments')\n"
    "def retrain(in_shape, out_channels, kernel, stride=1, padding=0):\n"
    "    probes.append('retrain')\n"
    "    return lambda: model.fit(in_shape)\n"
    "def shape_after_training(in_shape, out_channels, kernel, stride=1, padding=0):\n"
    "    probes.append('shape_after_training')\n"
    "    retrain(in_shape, out_channels, kernel)\n"
    "def labels():\n"
    "    probes.append('labels')\n"
    "from os.path import join  # an import, not the notebook's own function\n"
    "BEST_HP = {'lr': 0.001, 'units': 64}\n"
    "SIZE = 7"
)
EXAMPLE = ((3, 32, 32), 16, 3, 1, 0)


@pytest.fixture
def live():
    """A live kernel (no batch, no sandbox set-up beyond the defaults) for the cells a test runs."""
    with live_kernel(memory_mb=8192) as kernel:
        yield kernel


def run(kernel: StudentKernel, *cells: str) -> GradedNotebook:
    result = kernel.run_notebook(notebook(*cells), 60, 120, output_limit_bytes=2000)
    assert [c.error for c in result.cells] == [""] * len(cells)
    return GradedNotebook(kernel)


def test_a_function_is_found_by_its_answer_on_the_example_once_per_notebook(live):
    answers = run(live, SHAPES)
    assert answers.find_function("conv_output_shape", EXAMPLE, returns=(16, 30, 30)) == "conv_shape"
    assert sorted(live.value("probes")) == ["conv_shape", "wrong_shape"], (
        "only functions that accept the example, and none that trains a model (itself or through another)")
    (found,) = answers.take_found()
    assert found == Found("function", "conv_output_shape", "conv_shape", "your notebook does not define `conv_output_shape`",
                          "takes 5 arguments and gives the right answer on the question's example")
    assert answers.find_function("conv_output_shape", EXAMPLE, returns=(16, 30, 30)) == "conv_shape"
    assert len(live.value("probes")) == 2, "the second check asking gets the first search's answer"
    assert answers.take_found() == (found,), "and its note"
    assert answers.find_function("kernel_labels") == "kernel_labels", "no example: no function is tried"
    assert len(live.value("probes")) == 2


def test_the_declared_name_is_used_as_it_is(live):
    answers = run(live, SHAPES, "def conv_output_shape(*args):\n    return 'mine'")
    assert answers.find_function("conv_output_shape", EXAMPLE, returns=(16, 30, 30)) == "conv_output_shape"
    assert live.value("probes") == [] and answers.take_found() == ()


def test_nothing_that_fits_says_what_was_looked_for(live, monkeypatch):
    monkeypatch.setattr(discovery, "PROBE_TIMEOUT_S", 2)
    answers = run(live, SHAPES, "conv_output_shape = (16, 30, 30)\n"
                                "def slow(a, b, c, d, e):\n    import time\n    time.sleep(60)")
    with pytest.raises(AnswerNotFound) as missing:
        answers.find_function("conv_output_shape", EXAMPLE, returns=(8, 8, 8))
    assert str(missing.value) == (
        "`conv_output_shape` is not a function, and none of its functions takes 5 arguments and gives the right "
        "answer on the question's example; tried: `conv_shape` gives another answer; `wrong_shape` gives another "
        "answer; `slow` gave no answer in time")
    assert live.value("SIZE") == 7, "the slow candidate was stopped; the notebook answers again"
    with pytest.raises(AnswerNotFound, match="none of its functions takes one argument$"):
        answers.find_function("normalise", (np.zeros(3),))


def test_a_value_is_found_by_what_the_question_accepts(live):
    answers = run(live, SHAPES, "{'lr': 0.01}")
    has_lr = lambda value: isinstance(value, dict) and "lr" in value  # noqa: E731
    assert answers.find_value("BEST", has_lr, "holds the learning rate") == "BEST_HP"
    (found,) = answers.take_found()
    assert found.alternatives == ("Out[2]",), "a result a cell displayed counts too"
    assert live.value(found.used) == {"lr": 0.001, "units": 64}
    with pytest.raises(AnswerNotFound, match="^your notebook does not define `EPOCHS`, and none of its values is an "
                                             "epoch count$"):
        answers.find_value("EPOCHS", lambda value: value == 12, "is an epoch count")


TORCH_MODELS = (
    "import torch\nfrom torch import nn\ntorch.manual_seed(0)\n"
    "def net():\n    return nn.Sequential(nn.Flatten(), nn.BatchNorm1d(12), nn.Linear(12, 3))\n"
    "model = net()\n"
    "trained = net()\ntrained(torch.randn(4, 3, 2, 2)).sum().backward()\n"
    "frozen = net()\nfrozen[1].eval()\n"
    "zoo = {'final': trained, 'wide': nn.Linear(5, 2), 7: 'not a model'}\n"
    "stages = [nn.Flatten()]"
)


def test_models_by_shape_and_training(live):
    answers = run(live, TORCH_MODELS)
    assert answers.find_model("model", (3, 2, 2), (3,)) == "model", "the declared model fits: used as it is"
    assert answers.find_model("model", (3, 2, 2), (3,), trained=True) == "trained"
    (found,) = answers.take_found()
    assert found.note == ("used your model `trained` for `model`: `model` has not been trained, and `trained` has "
                          "been trained and maps inputs of shape (3, 2, 2) to outputs of shape (3,)")
    assert answers.find_model("wide", (5,), (2,)) == "zoo['wide']"
    assert answers.find_model("flat", (3, 2, 2), (12,)) == "stages[0]"
    got = np.asarray(answers.predict("zoo['final']", np.zeros((2, 3, 2, 2))))
    assert got.shape == (2, 3)
    assert live.value("[m.training for m in frozen.modules()]") == [True, True, False, True], (
        "trying the models left each module's mode as the notebook set it")
    with pytest.raises(AnswerNotFound, match=r"^your notebook does not define `classifier`, and none of its models maps "
                                             r"inputs of shape \(3, 32, 32\) to outputs of shape \(10,\) \(`model` "
                                             r"cannot take inputs of shape \(3, 32, 32\) \(RuntimeError: "):
        answers.find_model("classifier", (3, 32, 32), (10,))


def test_what_the_kernel_lists_becomes_an_expression_only_if_it_is_one():
    assert place_expression(["model"]) == "model"
    assert place_expression(["runs", "final"]) == "runs['final']"
    assert place_expression(["nets", 2]) == "nets[2]"
    assert place_expression(["history", {"attribute": "model"}]) == "history.model"
    assert place_expression(["runs", "it's \"odd\"\n"]) == "runs['it\\'s \"odd\"\\n']"
    for hostile in (["__import__('os').system('x')"], ["class"], ["a", True], ["a", {"attribute": "fit"}],
                    ["a", 1.5], ["a", "b", "c"], [], "model", None, [3], ["a", "k" * 200]):
        assert place_expression(hostile) is None, hostile


def test_answers_agree_as_the_checks_compare():
    assert agrees([16, 30, 30], (16, 30, 30)) and agrees(np.array([16, 30, 30]), (16, 30, 30))
    assert not agrees([16, 30], (16, 30, 30)) and not agrees("16", 16) and not agrees(True, 1) and not agrees(1, True)
    assert agrees(0.1 + 0.2, 0.3) and not agrees(0.31, 0.3)
    assert agrees({"a": [1.0, 2.0]}, {"a": np.array([1.0, 2.0])}) and not agrees({"a": 1}, {"b": 1})
    assert agrees(np.eye(2), np.eye(2)) and not agrees(np.eye(2), np.eye(3)) and not agrees(None, np.eye(2))


def test_the_closest_name_comes_first():
    assert closest_first(["shape_after_conv", "conv_shape", "helper"], "conv_output_shape") == [
        "conv_shape", "shape_after_conv", "helper"]
    assert closest_first(["b", "a"], "zzz") == ["b", "a"], "ties keep the notebook's order"


def test_a_note_names_at_most_a_few_alternatives():
    found = Found("function", "f", "g", "your notebook does not define `f`", "takes one argument",
                  tuple(f"h{i}" for i in range(8)))
    assert found.note.endswith("; `h0`, `h1`, `h2`, `h3`, `h4` and 3 more fit as well, and the name `g` is the "
                               "closest to `f`")
