"""hw3.q3 public checks: the network `model` is residual, and the format of predict_scenes on a
few visible test images (accuracy is measured by a hidden check).

The handout allows any residual network (a ResNet, ResNeXt, Wide ResNet, Inception-ResNet,
DenseNet, a pretrained one fine-tuned, ...), so the check cannot compare layers with one
architecture. It looks at what the network computes instead: one forward pass in the student's
kernel records the autograd graph (every operation, and which operations feed it), which
`autograd_graph` sends back as plain data; `skip_connections` finds the merges in it.

A **skip connection** is a merge whose inputs are a block's input and that block's output:

  * identity — an addition or a concatenation (DenseNet) of a tensor and something computed
    from it through at least one conv or linear layer: x + F(x), cat(x, F(x));
  * projection — an addition of two paths from one tensor c, where the shortcut is short (at most
    three operations, at most one of them a conv or linear layer: a 1×1 conv, batch norm, a pool)
    and the other path has more conv or linear layers: P(c) + F(c), as in ResNet's downsampling
    blocks.

A plain CNN has none; nor does an Inception module, whose concatenated branches are parallel
paths of which none is another's input. (tests/assignments/test_hw3_skip_connections.py checks
this reading against torch.fx's trace of networks of several families.)
"""

import inspect
import re
from dataclasses import dataclass

import numpy as np
import pytest

from graders.data.image_folder import load_image_folder

pytestmark = pytest.mark.question("q3")

N_CLASSES = 6

_ADD = re.compile(r"^AddBackward\d+$")
_CAT = re.compile(r"^CatBackward\d+$")
_WEIGHTED = re.compile(r"Convolution|^Addmm|^Mm|^Bmm|^Linear|^Matmul")
SHORTCUT_OPERATIONS = 3  # a projection shortcut: at most this many operations (e.g. conv 1×1 + batch norm)
MAX_NODES = 20_000  # DenseNet-121 records 432 operations; the bit sets grow with the square


def autograd_graph(model, input_size):
    """Run in the student's kernel: the autograd graph of one forward pass of `model` on a random
    [2, 3, input_size, input_size] batch, as {"names": [...], "inputs": [[indices], ...]}: node 0
    is the output's, and inputs[i] lists the nodes that feed node i. Leaves (parameters, the
    input) are left out. Self-contained (it is sent to the kernel as source): needs torch only."""
    import torch

    parameter = next(iter(model.parameters()), None)
    device = parameter.device if parameter is not None else "cpu"
    dtype = parameter.dtype if parameter is not None and parameter.is_floating_point() else torch.float32
    x = torch.randn(2, 3, input_size, input_size, device=device, dtype=dtype, requires_grad=True)
    was_training = model.training
    model.eval()
    try:
        with torch.enable_grad():
            output = model(x)
    finally:
        model.train(was_training)
    while isinstance(output, (tuple, list)):  # e.g. (logits, auxiliary logits)
        output = output[0]
    if getattr(output, "grad_fn", None) is None:
        return {"names": [], "inputs": []}
    order, index, names, inputs = [output.grad_fn], {output.grad_fn: 0}, [], []
    for node in order:  # breadth first: `order` grows while it is walked
        feeding = []
        for parent, _ in node.next_functions:
            if parent is None or type(parent).__name__ == "AccumulateGrad":
                continue
            if parent not in index:
                index[parent] = len(order)
                order.append(parent)
            feeding.append(index[parent])
        names.append(type(node).__name__)
        inputs.append(feeding)
    return {"names": names, "inputs": inputs}


def graph_expression(model: str, input_size: str) -> str:
    """A Python expression that, evaluated in the kernel, returns autograd_graph(<model>, <input_size>).
    The function's source travels inside it and runs in a namespace of its own."""
    source = inspect.getsource(autograd_graph)
    return (f"(lambda namespace: (exec({source!r}, namespace), "
            f"namespace['autograd_graph']({model}, {input_size}))[1])({{}})")


@dataclass(frozen=True)
class Graph:
    """An autograd graph as plain data: node names, and for each node the nodes feeding it."""

    names: tuple[str, ...]
    inputs: tuple[tuple[int, ...], ...]

    @classmethod
    def from_answer(cls, raw: object) -> "Graph":
        """Validate what the kernel sent (any malformed data raises ValueError)."""
        if not isinstance(raw, dict) or set(raw) != {"names", "inputs"}:
            raise ValueError("expected a dict with 'names' and 'inputs'")
        names, inputs = raw["names"], raw["inputs"]
        if not isinstance(names, list) or not isinstance(inputs, list) or len(names) != len(inputs):
            raise ValueError("'names' and 'inputs' must be lists of the same length")
        if len(names) > MAX_NODES:
            raise ValueError(f"the graph has {len(names)} operations; at most {MAX_NODES:,} are read")
        if not all(isinstance(name, str) for name in names):
            raise ValueError("every node name must be a string")
        for feeding in inputs:
            if not isinstance(feeding, list) or not all(
                isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(names) for i in feeding
            ):
                raise ValueError("every node's inputs must be a list of node indices")
        return cls(tuple(names), tuple(tuple(feeding) for feeding in inputs))

    def ancestors(self) -> list[int]:
        """For every node, a bit set (an int) of the nodes it is computed from, directly or not."""
        bits = [0] * len(self.names)
        for node in self._inputs_first():
            for i in self.inputs[node]:
                bits[node] |= (1 << i) | bits[i]
        return bits

    def _inputs_first(self) -> list[int]:
        """The nodes ordered so that each comes after the nodes feeding it (depth-first post-order,
        without recursion: deep networks would exhaust Python's stack). An edge that would close a
        cycle — impossible in an autograd graph — is ignored."""
        order, state = [], [0] * len(self.names)  # 0 unseen, 1 on the path, 2 done
        for root in range(len(self.names)):
            if state[root]:
                continue
            state[root], path = 1, [(root, iter(self.inputs[root]))]
            while path:
                node, feeding = path[-1]
                nxt = next(feeding, None)
                if nxt is None:
                    path.pop()
                    state[node] = 2
                    order.append(node)
                elif state[nxt] == 0:
                    state[nxt] = 1
                    path.append((nxt, iter(self.inputs[nxt])))
        return order

    def within(self, node: int, steps: int) -> set[int]:
        """The nodes at most `steps` input edges away from `node` (itself excluded)."""
        near, frontier = set(), {node}
        for _ in range(steps):
            frontier = {i for n in frontier for i in self.inputs[n]} - near
            near |= frontier
        return near


@dataclass(frozen=True)
class SkipConnection:
    merge: str  # the merging operation, e.g. "AddBackward0"
    kind: str  # "identity" | "projection"


def _members(bits: int) -> list[int]:
    return [i for i in range(bits.bit_length()) if bits >> i & 1]


def skip_connections(graph: Graph) -> list[SkipConnection]:
    """Every merge of the graph that joins a block's input (or its short projection) with the
    block's output computed through conv or linear layers (see the module docstring)."""
    ancestors = graph.ancestors()
    weighted = {i for i, name in enumerate(graph.names) if _WEIGHTED.search(name)}

    def on_paths(source: int, target: int) -> list[int]:
        """Nodes on the paths from `source` to `target`: `target` and those of its ancestors computed from `source`."""
        return [n for n in (*_members(ancestors[target]), target) if ancestors[n] >> source & 1]

    def layers(nodes: list[int]) -> int:
        return sum(n in weighted for n in nodes)

    def identity(a: int, b: int) -> bool:
        return bool(ancestors[b] >> a & 1) and layers(on_paths(a, b)) > 0

    def projection(a: int, b: int) -> bool:
        for source in graph.within(a, SHORTCUT_OPERATIONS):
            if not ancestors[b] >> source & 1:
                continue
            shortcut = on_paths(source, a)
            if len(shortcut) <= SHORTCUT_OPERATIONS and layers(shortcut) <= 1 and layers(on_paths(source, b)) > layers(shortcut):
                return True
        return False

    found = []
    for node, name in enumerate(graph.names):
        pairs = [(a, b) for a in graph.inputs[node] for b in graph.inputs[node] if a != b]
        if _ADD.match(name) or _CAT.match(name):
            if any(identity(a, b) for a, b in pairs):
                found.append(SkipConnection(name, "identity"))
            elif _ADD.match(name) and any(projection(a, b) for a, b in pairs):
                found.append(SkipConnection(name, "projection"))
    return found


# ---------------------------------------------------------------- the checks


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
