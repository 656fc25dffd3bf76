"""hw3.q2 — closed-form sizes, parameters and FLOPs of an Inception module (pure Python).

Both variants take C_in channels and run four branches in parallel on the same H×W grid
(every conv is 'same'-padded, the pool is 3×3 stride 1 pad 1), then concatenate channels:

    naive     1×1 → n1 | 3×3 → n3 | 5×5 → n5 | 3×3 max-pool (passes C_in channels through)
    reduced   1×1 → n1 | 1×1 → r3, 3×3 → n3 | 1×1 → r5, 5×5 → n5 | max-pool, 1×1 → p

The reduced module's 1×1 convolutions first shrink C_in to r3, r5 (a few channels), so the
expensive 3×3 and 5×5 kernels see few inputs, and the pool branch's 1×1 projection stops
the pooled channels from piling up in the output.

Counting conventions:
  * parameters: kernels plus one bias per output channel (GoogLeNet's convs have biases);
  * FLOPs: torch's FlopCounterMode convention, 2 per multiply-accumulate of each conv,
    i.e. 2 · H · W · C_out · C_in · k² per conv; biases, ReLUs and the max-pool's
    comparisons are not counted.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class InceptionConfig:
    """Channel widths of one module; the defaults are GoogLeNet's inception (3a)."""

    in_channels: int = 192
    n1x1: int = 64
    n3x3_reduce: int = 96
    n3x3: int = 128
    n5x5_reduce: int = 16
    n5x5: int = 32
    pool_proj: int = 32


GOOGLENET_3A = InceptionConfig()
GOOGLENET_3A_SIZE = 28  # inception (3a) runs on a 28×28 grid in GoogLeNet


def conv_parameters(c_in: int, c_out: int, kernel: int) -> int:
    return c_out * c_in * kernel * kernel + c_out


def conv_flops(c_in: int, c_out: int, kernel: int, size: int) -> int:
    """2 · MACs of a 'same'-padded stride-1 conv on a size×size grid."""
    return 2 * size * size * c_out * c_in * kernel * kernel


def _reduced_convs(cfg: InceptionConfig) -> list[tuple[int, int, int]]:
    """(c_in, c_out, kernel) of every conv of the module with 1×1 reductions."""
    return [
        (cfg.in_channels, cfg.n1x1, 1),
        (cfg.in_channels, cfg.n3x3_reduce, 1),
        (cfg.n3x3_reduce, cfg.n3x3, 3),
        (cfg.in_channels, cfg.n5x5_reduce, 1),
        (cfg.n5x5_reduce, cfg.n5x5, 5),
        (cfg.in_channels, cfg.pool_proj, 1),
    ]


def _naive_convs(cfg: InceptionConfig) -> list[tuple[int, int, int]]:
    """(c_in, c_out, kernel) of every conv of the naive module: each branch sees all C_in."""
    return [
        (cfg.in_channels, cfg.n1x1, 1),
        (cfg.in_channels, cfg.n3x3, 3),
        (cfg.in_channels, cfg.n5x5, 5),
    ]


def inception_output_channels(cfg: InceptionConfig = GOOGLENET_3A) -> int:
    """n1 + n3 + n5 + p (256 for 3a)."""
    return cfg.n1x1 + cfg.n3x3 + cfg.n5x5 + cfg.pool_proj


def naive_output_channels(cfg: InceptionConfig = GOOGLENET_3A) -> int:
    """n1 + n3 + n5 + C_in: the pooled input is concatenated unchanged (416 for 3a)."""
    return cfg.n1x1 + cfg.n3x3 + cfg.n5x5 + cfg.in_channels


def inception_parameters(cfg: InceptionConfig = GOOGLENET_3A) -> int:
    return sum(conv_parameters(*conv) for conv in _reduced_convs(cfg))


def naive_inception_parameters(cfg: InceptionConfig = GOOGLENET_3A) -> int:
    return sum(conv_parameters(*conv) for conv in _naive_convs(cfg))


def inception_flops(cfg: InceptionConfig = GOOGLENET_3A, size: int = GOOGLENET_3A_SIZE) -> int:
    return sum(conv_flops(*conv, size) for conv in _reduced_convs(cfg))


def naive_inception_flops(cfg: InceptionConfig = GOOGLENET_3A, size: int = GOOGLENET_3A_SIZE) -> int:
    return sum(conv_flops(*conv, size) for conv in _naive_convs(cfg))


def flop_reduction_ratio(cfg: InceptionConfig = GOOGLENET_3A) -> float:
    """FLOPs of the reduced module over the naive one's (independent of the grid size)."""
    return inception_flops(cfg, 1) / naive_inception_flops(cfg, 1)
