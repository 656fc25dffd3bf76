"""hw9.q3 — the handout's limits on the Keras Tuner search, and the checks against them.

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
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from reference.hw9.q3_model_summary import CONV_KINDS, ModelSummary

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
