"""hw3.q3 public checks: the network `model` is residual (its skip connections are read from one
forward pass), and the format of predict_scenes on a few visible test images (accuracy is
measured by a hidden test).

The handout allows any residual network, pretrained or not: the checks ask what the network
computes, not which layers it has (see reference/hw3/q3_skip_connections.py)."""

import numpy as np
import pytest

from graders.data.image_folder import load_image_folder
from reference.hw3.q3_skip_connections import Graph, graph_expression, skip_connections

pytestmark = pytest.mark.question("q3")

N_CLASSES = 6


@pytest.mark.points(2)
def test_network_is_residual(kernel, image_size):
    if not kernel.value("isinstance(model, torch.nn.Module)"):
        pytest.fail("`model` is not a torch.nn.Module: it must be your trained network", pytrace=False)
    try:
        graph = Graph.from_answer(kernel.value(graph_expression("model", str(image_size))))
    except ValueError as err:
        pytest.fail(f"could not read what `model` computes: {err}", pytrace=False)
    assert graph.names, "one forward pass of `model` recorded no computation (is its output detached?)"
    assert skip_connections(graph), (
        "`model` is not residual: in one forward pass no addition (or concatenation) joins a block's input with the "
        "block's output computed through conv or linear layers. A residual network adds a shortcut around its "
        "blocks: x + F(x), or P(x) + F(x) with a short projection P where the shape changes"
    )


def test_predict_scenes_format(kernel, dataset_dir, image_size):
    images, _, _ = load_image_folder(dataset_dir("intel") / "seg_test", (image_size, image_size))
    chosen = images[:: max(1, len(images) // 12)][:12]
    got = np.asarray(kernel.call("predict_scenes", chosen))
    assert got.shape == (len(chosen),), f"predict_scenes on {len(chosen)} images returned shape {got.shape}, expected ({len(chosen)},)"
    assert np.issubdtype(got.dtype, np.integer) and got.min() >= 0 and got.max() < N_CLASSES, (
        f"predict_scenes returned {got.tolist()}; expected integer classes 0-5"
    )
