"""hw4.q5 (1) — data augmentation for faces: random horizontal flips, small shifts and tilts.

Why these: a mirrored face shows the same expression, faces in the crops are not perfectly
centred, and heads tilt a little; with ~1,200 images per class a network would otherwise
memorise the exact pixels. Not used: vertical flips (upside-down faces never occur) and colour
changes that could mimic expression cues.

All three are one affine map of the sampling grid per image, applied with bilinear
interpolation (torch.nn.functional.affine_grid + grid_sample); pixels that come from outside
the image repeat the border (Keras ImageDataGenerator's default fill_mode='nearest').
"""

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class AugmentConfig:
    horizontal_flip: bool = True  # mirror with probability 1/2
    max_shift: float = 0.1  # shift up to ± this fraction of the width / height, each axis
    max_rotation_degrees: float = 10.0  # rotate uniformly within ± this

    @property
    def is_identity(self) -> bool:
        return not self.horizontal_flip and self.max_shift == 0 and self.max_rotation_degrees == 0


NO_AUGMENTATION = AugmentConfig(horizontal_flip=False, max_shift=0.0, max_rotation_degrees=0.0)


def affine_warp(images: torch.Tensor, angles: torch.Tensor, flips: torch.Tensor, shifts: torch.Tensor) -> torch.Tensor:
    """Mirror (where flips), rotate counter-clockwise by angles (radians), then shift by
    shifts[:, 0]·W to the right and shifts[:, 1]·H down. images [N, C, H, W], square.

    grid_sample needs the inverse map, output point p -> input point q, in coordinates
    normalised to [-1, 1] (x right, y down, so a counter-clockwise turn on screen is
    R(-a) in these axes): content goes q -> p = R(-a)·F·q + d, hence q = F·R(a)·(p − d),
    with F = diag(−1, 1) for a mirror and d = 2·shift (the image spans 2 units).
    """
    cos, sin = torch.cos(angles), torch.sin(angles)
    mirror = 1.0 - 2.0 * flips.to(images.dtype)  # −1 mirrors the x coordinate
    linear = torch.stack([torch.stack([mirror * cos, -mirror * sin], -1), torch.stack([sin, cos], -1)], -2)
    d = 2 * shifts.to(images.dtype)
    translation = -(linear @ d.unsqueeze(-1))
    theta = torch.cat([linear, translation], dim=-1)  # [N, 2, 3]
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    return F.grid_sample(images, grid, mode="bilinear", padding_mode="border", align_corners=False)


def random_augment(images: torch.Tensor, config: AugmentConfig, generator: torch.Generator) -> torch.Tensor:
    """One random flip/rotation/shift per image, drawn from config (on the CPU generator, so
    a seed gives the same augmentation on any device)."""
    if config.is_identity:
        return images
    n = len(images)
    flips = (torch.rand(n, generator=generator) < 0.5) & config.horizontal_flip
    limit = math.radians(config.max_rotation_degrees)
    angles = (2 * torch.rand(n, generator=generator) - 1) * limit
    shifts = (2 * torch.rand(n, 2, generator=generator) - 1) * config.max_shift
    on = images.device
    return affine_warp(images, angles.to(on, images.dtype), flips.to(on), shifts.to(on, images.dtype))


def augment_dataset(
    images: np.ndarray,
    labels: np.ndarray,
    copies_per_image: int,
    config: AugmentConfig = AugmentConfig(),
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Offline augmentation: the originals followed by copies_per_image augmented versions of
    each (NHWC float32 in, NHWC float32 out); labels repeated to match.

    The per-class counts of the result are q5_preprocessing.augment_counts(labels, copies_per_image, ·).
    """
    generator = torch.Generator().manual_seed(seed)
    originals = torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32)).permute(0, 3, 1, 2)
    parts = [images.astype(np.float32)]
    for _ in range(copies_per_image):
        warped = torch.cat([random_augment(chunk, config, generator) for chunk in originals.split(256)])
        parts.append(warped.permute(0, 2, 3, 1).numpy())
    return np.concatenate(parts), np.tile(labels, 1 + copies_per_image)
