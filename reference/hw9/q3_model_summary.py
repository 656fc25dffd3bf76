"""hw9.q3 — what the grader reads of a student's Keras model, and its parameter count recomputed.

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
Works for Keras 3 and tf-keras models alike (both summaries have the same form).
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import prod
from typing import Any

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
    return prod(layer.kernel_size)


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
