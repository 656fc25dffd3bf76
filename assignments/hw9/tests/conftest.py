"""What hw9's public and hidden checks share. It ships with the student kit: nothing here comes
from the reference or tells an answer; it judges what the student's kernel sends back.

q2 — a filtered image is accepted under any standard border rule. Near the border the window
leaves the image and every library fills it its own way: OpenCV's default reflect-101, zeros,
reflection with the edge pixel, replication, wrap-around, or no border at all (the "valid"
positions only). The handout fixes none, so `filtering_check` compares a result with the
standard filtering under every rule and names the one it equals.

q3 — a Keras model and a Keras Tuner search space, read as plain data and checked here.
The grader never takes a parameter count from the student's kernel. It asks the kernel for a
plain summary of the model's structure (`summary_expression`): for every layer its Keras class
name, its input and output shapes per sample, and the few configuration entries that decide
its weights; and the compiled optimizer's class and learning rate. From that summary the count
is recomputed here, layer by layer, as Keras' `count_params()` counts: every weight, trained or
not (a BatchNormalization layer's moving mean and variance included).

    Conv1D/2D/3D     prod(kernel) · C_in · filters + filters·bias
    SeparableConv2D  prod(kernel) · C_in · depth_multiplier + C_in · depth_multiplier · filters + filters·bias
    DepthwiseConv2D  prod(kernel) · C_in · depth_multiplier + C_in · depth_multiplier·bias
    Dense            N_in · units + units·bias          (N_in = the last axis of its input)
    BatchNorm        C · (2 moving statistics + γ if scale + β if center)
    LayerNorm        C · (γ if scale + β if center)
    pooling, dropout, flatten, reshape, activations, rescaling, augmentation: none
Keras 3 and tf-keras models alike (both summaries have the same form).

The handout fixes no search space, architecture, tuner or epochs. Its table gives upper limits
only, on hyperparameters that must all be tuned:

    number of conv layers ≤ 5      filters per conv layer ≤ 256     learning rate ≤ 0.001
    number of dense layers ≤ 5     neurons per dense layer ≤ 256    optimizer: tuned (not fixed)

Any space within them is a right answer. Two things are checked:

* the space itself, as Keras Tuner registered it (plain data, `space_problems`): each of the six
  hyperparameters present under its name in the question (`conv_layers`, `dense_layers`,
  `filters`, `units`, `learning_rate`, `optimizer`; per-layer variants such as `filters_0` share
  their base name's limits), each with at least two values, and every value within its limit;
* models built from the space (their structure, `model_problems`): a name says nothing about
  what the model does with it (a "conv_layers" of 3 blocks of two convolutions is 6 conv
  layers), so the limits are also counted on the built layers. "Dense layers" are the hidden
  ones: the output layer, which every classifier needs, is not counted (the lenient reading).

A space is plain data in Keras Tuner's words: {name: {"type": "Int", "min_value", "max_value",
"step"} | {"type": "Float", "min_value", "max_value", "step", "sampling"} | {"type": "Choice",
"values"} | {"type": "Boolean"} | {"type": "Fixed", "value"}}.

A test module cannot import a conftest.py: the checks reach these helpers through the `helpers`
fixture (`helpers.space_problems(space)`).
"""

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

# ---------------------------------------------------------------- q2: a filtered image

VALID = "valid"  # the answer without a border: only the positions where the kernel fits inside the image


def _close(got: np.ndarray, want: np.ndarray) -> bool:
    """Equal up to float32 rounding, relative to the size of the values."""
    scale = max(1.0, float(np.max(np.abs(want), initial=0.0)))
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=1e-5, atol=1e-5 * scale))


@dataclass(frozen=True)
class FilteringCheck:
    """A filtered image compared with every standard answer (the check that grades q2)."""

    shape: tuple[int, ...]  # of the image checked
    accepted_shapes: tuple[tuple[int, ...], ...]  # the image's own, and the smaller "valid" one
    border: str | None  # the standard filtering it equals (a border rule or "valid"), or None
    interior_error: float | None  # largest difference away from the border; None for a wrong shape
    interior_right: bool  # equal to the answer away from the border (where every rule agrees)

    @property
    def passed(self) -> bool:
        return self.border is not None

    def problem(self) -> str:
        """What is wrong, in the student's words ("" when it passed)."""
        if self.passed:
            return ""
        if self.interior_error is None:
            return f"the result has shape {self.shape}; expected {' or '.join(map(str, self.accepted_shapes))}"
        if self.interior_right:
            return ("the inside of the result is right, but its border follows no standard rule (OpenCV's "
                    "reflect-101, zeros, reflection, replication, wrap-around)")
        return (f"the result is off by up to {self.interior_error:.3g} away from the border; slide the kernel "
                "without flipping it (a cross-correlation, as cv2.filter2D) and keep the values as floats")


def filtering_check(got: np.ndarray, answers: Mapping[str, np.ndarray]) -> FilteringCheck:
    """Compare a filtered image with every standard filtering of the same image: `answers` holds
    one per border rule (the image's shape) and VALID (the positions where the kernel fits).

    A zero or constant answer matches none of them unless every standard answer is that
    constant, which a caller avoids by filtering images with structure.
    """
    got = np.asarray(got, dtype=np.float64)
    valid = answers[VALID]
    full = next(want for name, want in answers.items() if name != VALID)
    accepted = (full.shape, valid.shape)
    if got.shape == valid.shape:
        interior = got
    elif got.shape == full.shape:
        top, left = (full.shape[0] - valid.shape[0]) // 2, (full.shape[1] - valid.shape[1]) // 2  # half the kernel
        interior = got[top : top + valid.shape[0], left : left + valid.shape[1]]
    else:
        return FilteringCheck(got.shape, accepted, None, None, False)
    border = next((name for name, want in answers.items() if _close(got, want)), None)
    error = float(np.max(np.abs(interior - valid), initial=0.0))
    return FilteringCheck(got.shape, accepted, border, error, _close(interior, valid))


# ---------------------------------------------------------------- q3: a Keras model, read from the kernel

CONFIG_KEYS = ("filters", "kernel_size", "units", "use_bias", "depth_multiplier", "center", "scale", "axis", "data_format")
CONV_KINDS = frozenset({"Conv1D", "Conv2D", "Conv3D"})
PARAMETER_FREE_KINDS = frozenset({
    "InputLayer", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
    "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GlobalAveragePooling1D",
    "GlobalAveragePooling2D", "GlobalAveragePooling3D", "Dropout", "SpatialDropout1D", "SpatialDropout2D",
    "SpatialDropout3D", "GaussianDropout", "GaussianNoise", "AlphaDropout", "Flatten", "Reshape", "Permute",
    "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "Rescaling", "Resizing", "ZeroPadding2D", "Cropping2D",
    "RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast", "RandomCrop",
    "RandomBrightness",
})


class UnreadableSummary(ValueError):
    """The kernel's summary of a model is not the plain data the grader asked for."""


class UncountedLayer(ValueError):
    """A layer kind whose weights the grader does not count."""


@dataclass(frozen=True)
class LayerInfo:
    kind: str  # the Keras class name, e.g. "Conv2D"
    input_shape: tuple[int | None, ...]  # per sample (no batch axis)
    output_shape: tuple[int | None, ...]
    filters: int | None = None
    kernel_size: tuple[int, ...] | None = None
    units: int | None = None
    use_bias: bool = True
    depth_multiplier: int = 1
    center: bool = True
    scale: bool = True
    axis: int = -1  # the normalised axis of a batch/layer norm, counted over the per-sample shape
    channels_first: bool = False

    @property
    def channels(self) -> int:
        """The size of the input's channel (feature) axis."""
        size = self.input_shape[0 if self.channels_first else -1]
        if size is None:
            raise UnreadableSummary(f"{self.kind}: its input has no known number of channels")
        return size


@dataclass(frozen=True)
class ModelSummary:
    layers: tuple[LayerInfo, ...]
    optimizer: str | None  # the compiled optimizer's class name, e.g. "Adam"; None when not compiled
    learning_rate: float | None


def summary_expression(model: str) -> str:
    """A Python expression that, evaluated in the student's kernel, summarises the Keras model
    the expression `model` gives, as plain data."""
    layer = (
        "{'kind': type(l).__name__, "
        # an InputLayer (and a layer joining several inputs) has a list of inputs: its output shape stands in
        "'input_shape': list((l.output if isinstance(l.input, list) else l.input).shape[1:]), "
        "'output_shape': list(l.output.shape[1:]), "
        f"**{{k: v for k, v in l.get_config().items() if k in {CONFIG_KEYS!r}}}}}"
    )
    return (
        f"(lambda m: {{'layers': [{layer} for l in m.layers], "
        "'optimizer': type(m.optimizer).__name__ if getattr(m, 'optimizer', None) is not None else None, "
        "'learning_rate': float(m.optimizer.learning_rate) if getattr(m, 'optimizer', None) is not None else None})"
        f"({model})"
    )


def pinned_model_expression(values: Mapping[str, Any]) -> str:
    """An expression for the model the notebook's build_model builds with these hyperparameter
    values (its `pinned` helper fixes them); the values travel as a JSON string literal."""
    return f"build_model(pinned(__import__('json').loads({json.dumps(dict(values))!r})))"


def _shape(raw: Any, what: str) -> tuple[int | None, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not all(v is None or isinstance(v, int) for v in raw):
        raise UnreadableSummary(f"{what} is {raw!r}, not a shape")
    return tuple(raw)


def _count(raw: Any, what: str) -> int | None:
    if raw is not None and (not isinstance(raw, int) or isinstance(raw, bool) or raw < 0):
        raise UnreadableSummary(f"{what} is {raw!r}, not a count")
    return raw


def _axis(raw: Any, rank: int) -> int:
    """A norm layer's axis as an index into the per-sample shape (Keras counts the batch axis)."""
    axis = raw[0] if isinstance(raw, Sequence) and not isinstance(raw, str) and len(raw) == 1 else raw
    if not isinstance(axis, int):
        raise UnreadableSummary(f"a normalisation over the axes {raw!r} is not counted")
    return axis if axis < 0 else axis - 1 - rank  # positive axes count the batch axis first


def layer_info(raw: Mapping[str, Any]) -> LayerInfo:
    """One layer of the kernel's summary, validated."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("kind"), str):
        raise UnreadableSummary(f"a layer summary must be a dict with a 'kind', got {raw!r}"[:200])
    kind = raw["kind"]
    input_shape = _shape(raw.get("input_shape"), f"{kind}'s input shape")
    kernel_size = raw.get("kernel_size")
    return LayerInfo(
        kind=kind,
        input_shape=input_shape,
        output_shape=_shape(raw.get("output_shape"), f"{kind}'s output shape"),
        filters=_count(raw.get("filters"), f"{kind}'s filters"),
        kernel_size=None if kernel_size is None else _shape(kernel_size, f"{kind}'s kernel size"),
        units=_count(raw.get("units"), f"{kind}'s units"),
        use_bias=bool(raw.get("use_bias", True)),
        depth_multiplier=int(raw.get("depth_multiplier") or 1),
        center=bool(raw.get("center", True)),
        scale=bool(raw.get("scale", True)),
        axis=_axis(raw["axis"], len(input_shape)) if "axis" in raw else -1,
        channels_first=raw.get("data_format") == "channels_first",
    )


def model_summary(raw: Any) -> ModelSummary:
    """The kernel's answer to `summary_expression`, validated (UnreadableSummary if malformed)."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("layers"), list):
        raise UnreadableSummary(f"expected {{'layers': [...], 'optimizer', 'learning_rate'}}, got {raw!r}"[:200])
    optimizer, learning_rate = raw.get("optimizer"), raw.get("learning_rate")
    if optimizer is not None and not isinstance(optimizer, str):
        raise UnreadableSummary(f"the optimizer's name is {optimizer!r}")
    if learning_rate is not None and not isinstance(learning_rate, (int, float)):
        raise UnreadableSummary(f"the learning rate is {learning_rate!r}")
    return ModelSummary(tuple(layer_info(layer) for layer in raw["layers"]), optimizer, learning_rate)


def _kernel_area(layer: LayerInfo) -> int:
    if layer.kernel_size is None or None in layer.kernel_size:
        raise UnreadableSummary(f"{layer.kind} has no kernel size")
    return math.prod(layer.kernel_size)


def layer_param_count(layer: LayerInfo) -> int:
    """The weights of one layer, from its structure alone (as Keras' count_params)."""
    bias = int(layer.use_bias)
    if layer.kind in CONV_KINDS:
        return _kernel_area(layer) * layer.channels * layer.filters + layer.filters * bias
    if layer.kind == "SeparableConv2D":
        depthwise = layer.channels * layer.depth_multiplier
        return _kernel_area(layer) * depthwise + depthwise * layer.filters + layer.filters * bias
    if layer.kind == "DepthwiseConv2D":
        depthwise = layer.channels * layer.depth_multiplier
        return _kernel_area(layer) * depthwise + depthwise * bias
    if layer.kind == "Dense":
        return layer.input_shape[-1] * layer.units + layer.units * bias
    if layer.kind in ("BatchNormalization", "LayerNormalization"):
        features = layer.input_shape[layer.axis]
        moving_statistics = 2 if layer.kind == "BatchNormalization" else 0
        return features * (moving_statistics + int(layer.scale) + int(layer.center))
    if layer.kind in PARAMETER_FREE_KINDS:
        return 0
    raise UncountedLayer(
        f"the grader cannot count the weights of a {layer.kind} layer; build the model from conv, dense, "
        "pooling, dropout, batch-norm and activation layers"
    )


def param_count(summary: ModelSummary) -> int:
    return sum(layer_param_count(layer) for layer in summary.layers)


# ---------------------------------------------------------------- q3: the search space and the handout's table

Space = Mapping[str, Mapping[str, Any]]
CONV_LAYER_KINDS = CONV_KINDS | {"SeparableConv2D", "DepthwiseConv2D"}
FLOAT32_SLACK = 1e-6  # 0.001 stored as float32 is 0.0010000000475
MAX_VALUES = 100_000  # a space the grader enumerates: no real search is this fine-grained


@dataclass(frozen=True)
class Limits:
    """The handout's table: the largest value each hyperparameter may take."""

    conv_layers: int = 5
    dense_layers: int = 5
    filters: int = 256
    units: int = 256
    learning_rate: float = 1e-3


HANDOUT_LIMITS = Limits()
COUNTS = ("conv_layers", "dense_layers", "filters", "units")  # integer hyperparameters
LEAST = {"conv_layers": 1, "dense_layers": 0, "filters": 1, "units": 1}  # a model needs one conv layer
REQUIRED = (*COUNTS, "learning_rate", "optimizer")
WHAT = {
    "conv_layers": "the number of conv layers",
    "dense_layers": "the number of dense layers",
    "filters": "the filters of a conv layer",
    "units": "the neurons of a dense layer",
    "learning_rate": "the learning rate",
    "optimizer": "the optimizer",
}


def _grid(low: float, high: float, step: float, sampling: str | None) -> list[float]:
    """The values Keras Tuner draws from [low, high] with a step: low + i·step; with log
    sampling low·step^i (reverse_log mirrors that towards high). Its count, like Keras Tuner's,
    rounds down, so a max_value off the grid is never drawn."""
    logarithmic = sampling in ("log", "reverse_log")
    if step <= (1 if logarithmic else 0) or (logarithmic and low <= 0) or high < low:
        raise ValueError(f"step {step} does not lead from {low} to {high}")
    count = int(math.log(high / low, step) + 1e-8) + 1 if logarithmic else int((high - low) // step + 1)
    if count > MAX_VALUES:
        raise ValueError(f"more than {MAX_VALUES:,} values from {low} to {high}")
    if sampling == "log":
        return [low * step**i for i in range(count)]
    if sampling == "reverse_log":
        return [high + low - low * step**i for i in range(count)]
    return [low + i * step for i in range(count)]


def spec_values(spec: Mapping[str, Any]) -> list[Any] | None:
    """Every value of a discrete hyperparameter; None for a continuous Float (no step)."""
    kind = spec.get("type")
    if kind == "Int":
        step = int(spec.get("step") or 1)
        return [int(v) for v in _grid(int(spec["min_value"]), int(spec["max_value"]), step, spec.get("sampling"))]
    if kind == "Float":
        step = spec.get("step")
        return _grid(float(spec["min_value"]), float(spec["max_value"]), float(step), spec.get("sampling")) if step else None
    if kind == "Choice":
        return list(spec["values"])
    if kind == "Boolean":
        return [False, True]
    if kind == "Fixed":
        return [spec["value"]]
    raise ValueError(f"unknown hyperparameter type {kind!r}")


def spec_range(spec: Mapping[str, Any]) -> tuple[float, float]:
    """(smallest, largest) value of a numeric hyperparameter."""
    if spec.get("type") == "Float" and not spec.get("step"):
        return float(spec["min_value"]), float(spec["max_value"])
    values = spec_values(spec)
    if not values or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        raise ValueError(f"values {values!r} are not numbers")
    return min(values), max(values)


def _distinct_values(spec: Mapping[str, Any]) -> int:
    if spec.get("type") == "Float" and not spec.get("step"):
        return 2 if spec["max_value"] > spec["min_value"] else 1
    return len(set(map(repr, spec_values(spec))))


def role_names(space: Space, role: str) -> list[str]:
    """The hyperparameters of a role: its own name and per-layer variants (filters_0, …)."""
    return [name for name in space if name == role or name.startswith(role + "_")]


def _spec_problem(space: Space, name: str) -> str | None:
    spec = space[name]
    if not isinstance(spec, Mapping) or spec.get("type") not in ("Int", "Float", "Choice", "Boolean", "Fixed"):
        return f"{name!r} is described as {spec!r}; give its Keras Tuner type and values"[:300]
    try:
        spec_values(spec)
    except (KeyError, TypeError, ValueError):
        return f"{name!r} is described as {dict(spec)!r}; its values cannot be read"[:300]
    return None


def space_problems(space: Any, limits: Limits = HANDOUT_LIMITS) -> list[str]:
    """What in a search space breaks the handout's table ([] when nothing does), in the student's words."""
    if not isinstance(space, Mapping) or not all(isinstance(name, str) for name in space):
        return [f"the search space must be a dict name -> description, got {type(space).__name__}"]
    problems = [problem for name in space if (problem := _spec_problem(space, name))]
    if problems:
        return problems
    for role in REQUIRED:
        names = role_names(space, role)
        if not names:
            problems.append(f"no hyperparameter {role!r}: {WHAT[role]} must be tuned")
            continue
        if max(_distinct_values(space[name]) for name in names) < 2:
            problems.append(f"{role!r} has one value only: {WHAT[role]} must be tuned (at least two values)")
        if role == "optimizer":
            continue
        limit = getattr(limits, role)
        for name in names:
            try:
                low, high = spec_range(space[name])
            except ValueError:
                problems.append(f"{name!r} must take numbers, got {dict(space[name])!r}"[:300])
                continue
            if high > limit * (1 + FLOAT32_SLACK):
                problems.append(f"{name!r} goes up to {high:g}; the handout allows at most {limit:g}")
            if role in COUNTS and low < LEAST[role]:
                problems.append(f"{name!r} goes down to {low:g}; at least {LEAST[role]} is needed")
            if role == "learning_rate" and low <= 0:
                problems.append(f"{name!r} goes down to {low:g}; a learning rate must be positive")
    return problems


def _largest(spec: Mapping[str, Any]) -> Any:
    """A hyperparameter's value in the largest model: its maximum (true for a Boolean); the
    first value of a Choice that is not numeric."""
    if spec.get("type") == "Boolean":
        return True
    values = spec_values(spec)
    if values is None or all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return spec_range(spec)[1]
    return values[0]


def largest_points(space: Space) -> list[dict[str, Any]]:
    """The largest model of the space once per optimizer: every numeric hyperparameter at its
    maximum, the optimizer taking each of its values in turn."""
    point = {name: _largest(spec) for name, spec in space.items()}
    optimizer_names = role_names(space, "optimizer")
    choices = dict.fromkeys(value for name in optimizer_names for value in spec_values(space[name]))
    return [{**point, **dict.fromkeys(optimizer_names, choice)} for choice in choices] or [point]


def random_point(space: Space, rng: np.random.Generator) -> dict[str, Any]:
    """One point of the space, every hyperparameter drawn uniformly (log-uniformly where Keras
    Tuner samples a continuous Float on a log scale)."""
    point = {}
    for name, spec in space.items():
        values = spec_values(spec)
        if values is not None:
            point[name] = values[int(rng.integers(len(values)))]
        elif spec.get("sampling") in ("log", "reverse_log"):
            point[name] = float(np.exp(rng.uniform(np.log(spec["min_value"]), np.log(spec["max_value"]))))
        else:
            point[name] = float(rng.uniform(spec["min_value"], spec["max_value"]))
    return point


def point_problems(space: Space, point: Any) -> list[str]:
    """Values of a point (e.g. the best trial's) that its space cannot take ([] when none)."""
    if not isinstance(point, Mapping):
        return [f"the hyperparameter values must be a dict name -> value, got {type(point).__name__}"]
    problems = []
    for name in sorted(space.keys() & point.keys()):
        spec, value = space[name], point[name]
        if _spec_problem(space, name):
            continue  # an unreadable description is space_problems' to report
        values = spec_values(spec)
        if values is None:
            inside = isinstance(value, (int, float)) and spec["min_value"] <= value <= spec["max_value"]
        else:
            inside = any(value == v or (isinstance(v, float) and isinstance(value, float) and math.isclose(value, v))
                         for v in values)
        if not inside:
            problems.append(f"{name!r} = {value!r} is not a value of the search space")
    return problems


def model_problems(summary: ModelSummary, limits: Limits = HANDOUT_LIMITS) -> list[str]:
    """What in a built model breaks the handout's table ([] when nothing does)."""
    convs = [layer for layer in summary.layers if layer.kind in CONV_LAYER_KINDS]
    denses = [layer for layer in summary.layers if layer.kind == "Dense"][:-1]  # the output layer is free
    problems = []
    if not convs:
        problems.append("the model has no conv layer")
    if len(convs) > limits.conv_layers:
        problems.append(f"the model has {len(convs)} conv layers; the handout allows at most {limits.conv_layers}")
    if len(denses) > limits.dense_layers:
        problems.append(
            f"the model has {len(denses)} dense layers before its output layer; the handout allows at most "
            f"{limits.dense_layers}"
        )
    widest = max((layer.filters or 0 for layer in convs), default=0)
    if widest > limits.filters:
        problems.append(f"a conv layer has {widest} filters; the handout allows at most {limits.filters}")
    widest = max((layer.units or 0 for layer in denses), default=0)
    if widest > limits.units:
        problems.append(f"a dense layer has {widest} neurons; the handout allows at most {limits.units}")
    if summary.learning_rate is None:
        problems.append("the model is not compiled with an optimizer")
    elif summary.learning_rate > limits.learning_rate * (1 + FLOAT32_SLACK):
        problems.append(f"its learning rate is {summary.learning_rate:g}; the handout allows at most {limits.learning_rate:g}")
    return problems


# ---------------------------------------------------------------- for the checks


@pytest.fixture(scope="session")
def box_blur_example(expected) -> tuple[tuple, Any]:
    """q2's public example (the image and the first kernel, the box blur) and what accepts a
    filtering of it under any border rule: one for the session, so the search for an
    apply_kernel under another name runs once."""
    example = expected("q2.filtered")
    box_blur = example["kernels"][0]
    return ((example["image"], box_blur["kernel"]),
            lambda got: filtering_check(np.asarray(got, dtype=float), box_blur["answers"]).passed)


@pytest.fixture
def apply_kernel_name(kernel, box_blur_example) -> str:
    """What to call for q2's apply_kernel: the declared name, or the notebook's own function that
    filters the public example; set up for each check, so each check's outcome says what it used."""
    args, accept = box_blur_example
    return kernel.find_function("apply_kernel", args, accept=accept)


@pytest.fixture(scope="session")
def helpers() -> SimpleNamespace:
    """The helpers above, by name: `helpers.space_problems(space)`."""
    shared = (filtering_check, UnreadableSummary, UncountedLayer, summary_expression, pinned_model_expression,
              model_summary, layer_param_count, param_count, space_problems, largest_points, random_point,
              point_problems, model_problems)
    return SimpleNamespace(**{helper.__name__: helper for helper in shared})
