"""hw2.q6 — what makes two CNNs a depth study, or a batch-norm comparison (pure Python).

The handout fixes no architecture: it asks for the effect of depth, the effect of adding batch
normalisation to the conv layers, and the most accurate architecture found. So the grader
judges the *relation* between the student's models, from a summary of their layers:

  * conv layers as (in channels, out channels, kernel height, kernel width);
  * linear layers by their output width only (the first one's input width follows from how
    many poolings came before it, so it changes with the depth);
  * the number of batch-norm layers.

Two models form a **depth study** when the deeper one has more conv + linear layers and keeps
every layer of the shallower one (as a multiset: where the extra layers go is free). Adding a
block of constant width, a VGG-style block of doubled width, or a hidden dense layer all qualify;
two models that change the widths or kernels of existing layers (e.g. LeNet vs a wider net with
other kernels) do not — they vary more than the depth. Neither model of a depth study may use
batch norm (that is the other comparison).

A **batch-norm comparison** is one model without batch norm and the same conv and linear
layers (input widths included) with at least one batch-norm layer added.
"""

from collections import Counter
from dataclasses import dataclass

Conv = tuple[int, int, int, int]  # in channels, out channels, kernel height, kernel width


@dataclass(frozen=True)
class ModelSummary:
    """The layers of a model that decide its depth and its use of batch norm."""

    convs: tuple[Conv, ...]
    linears: tuple[tuple[int, int], ...]  # (in features, out features)
    batch_norms: int

    @property
    def weight_layers(self) -> int:
        return len(self.convs) + len(self.linears)

    def describe(self) -> str:
        convs = ", ".join(f"conv {a}->{b} {h}x{w}" for a, b, h, w in self.convs) or "no conv layers"
        linears = ", ".join(f"linear {a}->{b}" for a, b in self.linears) or "no linear layers"
        return f"{convs}; {linears}; {self.batch_norms} batch-norm layers"


def parse_summary(raw: object) -> ModelSummary:
    """A ModelSummary from the plain data the kernel sends: a list of ("conv", in, out, kh, kw),
    ("linear", in, out) and ("batchnorm", features) entries. Raises ValueError if it is not that."""
    if not isinstance(raw, list):
        raise ValueError(f"expected a list of layers, got {type(raw).__name__}")
    convs, linears, norms = [], [], 0
    for entry in raw:
        if not isinstance(entry, list) or not entry or not all(_is_int(v) for v in entry[1:]):
            raise ValueError(f"unreadable layer description {entry!r}")
        kind, sizes = entry[0], tuple(int(v) for v in entry[1:])
        if kind == "conv" and len(sizes) == 4:
            convs.append(sizes)
        elif kind == "linear" and len(sizes) == 2:
            linears.append(sizes)
        elif kind == "batchnorm" and len(sizes) == 1:
            norms += 1
        else:
            raise ValueError(f"unreadable layer description {entry!r}")
    return ModelSummary(tuple(convs), tuple(linears), norms)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _contains(bigger: Counter, smaller: Counter) -> bool:
    return all(bigger[key] >= count for key, count in smaller.items())


def depth_only_difference(shallow: ModelSummary, deep: ModelSummary) -> str | None:
    """Why `deep` is not `shallow` with more layers (None when it is)."""
    if shallow.batch_norms or deep.batch_norms:
        return "the models of a depth study must not use batch norm (that is the separate comparison)"
    if not shallow.convs:
        return "the shallower model has no conv layer: this is a study of CNNs"
    if deep.weight_layers <= shallow.weight_layers:
        return (f"it is not deeper: {deep.weight_layers} conv and linear layers against "
                f"{shallow.weight_layers}")
    if not _contains(Counter(deep.convs), Counter(shallow.convs)):
        return "the deeper model changes conv layers of the shallower one (their channels or kernels), not only the depth"
    if not _contains(Counter(out for _, out in deep.linears), Counter(out for _, out in shallow.linears)):
        return "the deeper model changes the widths of linear layers of the shallower one, not only the depth"
    return None


def batch_norm_only_difference(plain: ModelSummary, normalised: ModelSummary) -> str | None:
    """Why `normalised` is not `plain` with batch norm added (None when it is)."""
    if plain.batch_norms:
        return f"the model without batch norm has {plain.batch_norms} batch-norm layers"
    if not normalised.batch_norms:
        return "the model with batch norm has no batch-norm layer"
    if (plain.convs, plain.linears) != (normalised.convs, normalised.linears):
        return "the two models differ in more than batch norm: their conv or linear layers are not the same"
    return None
