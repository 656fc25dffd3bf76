"""Generated images with a class structure a small CNN learns in seconds.

Three generators:
  * ``glyph_images`` — class k is a glyph (disc, square, ring, cross, ...) drawn in its own
    hue, at a jittered position, size and angle, on a random dark background with pixel
    noise. Shape and colour both carry the class, the position does not, so a convolutional
    net (translation-equivariant features, pooled) learns it in a few epochs, while a constant
    or broken model stays at chance. With more classes than glyphs, class k draws glyph
    k mod 10: classes that share a glyph are 10/n of the colour wheel apart.
  * ``digit_images`` — scikit-learn's bundled handwritten digits (1,797 real 8×8 scans, no
    download) upsampled to a 20×20 box inside a 28×28 frame, like MNIST's preprocessing, with
    the box jittered by a couple of pixels.
  * ``picture_with_edges`` — one colour picture (no classes) for image-kernel questions.
All take a NumPy Generator so a dataset is a pure function of its seed.
"""

import colorsys
from dataclasses import dataclass

import numpy as np
from PIL import Image

GLYPHS = (
    "disc", "square", "ring", "cross", "triangle",
    "horizontal_bar", "vertical_bar", "diagonal_bar", "x", "frame",
)


@dataclass(frozen=True)
class GlyphStyle:
    """How much a glyph varies within its class (all lengths relative to the image side)."""

    position_jitter: float = 0.18  # glyph centre moves uniformly by ± this from the middle
    radius: tuple[float, float] = (0.22, 0.32)  # glyph half-size, uniform in this range
    rotation_degrees: float = 15.0  # glyph angle uniform in ± this: orientation stays a cue
    hue_jitter: float = 0.03  # class hue ± this (hues of neighbouring classes are 1/n apart)
    background_max: float = 0.35  # background colour channels uniform in [0, this]: dark, random
    noise_std: float = 0.06  # Gaussian pixel noise (in [0, 1] units), so no two images repeat


def glyph_mask(glyph: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Inside-test of a glyph in its own frame: u right, v down, radius 1."""
    r = np.hypot(u, v)
    masks = {
        "disc": lambda: r <= 1,
        "square": lambda: np.maximum(abs(u), abs(v)) <= 0.8,
        "ring": lambda: (r <= 1) & (r >= 0.55),
        "cross": lambda: ((abs(u) <= 0.28) | (abs(v) <= 0.28)) & (np.maximum(abs(u), abs(v)) <= 1),
        "triangle": lambda: (v <= 0.8) & (v >= 2 * abs(u) - 1),
        "horizontal_bar": lambda: (abs(v) <= 0.3) & (abs(u) <= 1),
        "vertical_bar": lambda: (abs(u) <= 0.3) & (abs(v) <= 1),
        "diagonal_bar": lambda: (abs(u - v) <= 0.42) & (abs(u + v) <= 1.4),
        "x": lambda: ((abs(u - v) <= 0.35) | (abs(u + v) <= 0.35)) & (np.maximum(abs(u), abs(v)) <= 0.9),
        "frame": lambda: (np.maximum(abs(u), abs(v)) <= 0.95) & (np.maximum(abs(u), abs(v)) >= 0.6),
    }
    return masks[glyph]()


def class_colour(label: int, n_classes: int, hue_shift: float = 0.0) -> np.ndarray:
    """The class's RGB colour: hues spread evenly round the colour wheel, bright and saturated."""
    return np.array(colorsys.hsv_to_rgb((label / n_classes + hue_shift) % 1.0, 0.85, 0.95))


def glyph_images(
    labels: np.ndarray,
    n_classes: int,
    size: int,
    rng: np.random.Generator,
    style: GlyphStyle = GlyphStyle(),
) -> np.ndarray:
    """uint8 [N, size, size, 3]: image i shows the glyph and hue of class labels[i]."""
    centres = (np.arange(size) + 0.5) / size  # pixel centres in [0, 1]
    y, x = np.meshgrid(centres, centres, indexing="ij")
    images = np.empty((len(labels), size, size, 3), dtype=np.uint8)
    for i, label in enumerate(labels):
        cx, cy = 0.5 + rng.uniform(-style.position_jitter, style.position_jitter, size=2)
        radius = rng.uniform(*style.radius)
        angle = np.deg2rad(rng.uniform(-style.rotation_degrees, style.rotation_degrees))
        # the glyph's own frame: translate to its centre, rotate by -angle, scale by 1/radius
        u = (np.cos(angle) * (x - cx) + np.sin(angle) * (y - cy)) / radius
        v = (-np.sin(angle) * (x - cx) + np.cos(angle) * (y - cy)) / radius
        inside = glyph_mask(GLYPHS[label % len(GLYPHS)], u, v)[..., None]
        foreground = class_colour(label, n_classes, rng.uniform(-style.hue_jitter, style.hue_jitter))
        background = rng.uniform(0, style.background_max, size=3)
        picture = np.where(inside, foreground, background) + rng.normal(0, style.noise_std, (size, size, 3))
        images[i] = np.round(np.clip(picture, 0, 1) * 255).astype(np.uint8)
    return images


def balanced_labels(n_classes: int, per_class: int, rng: np.random.Generator) -> np.ndarray:
    """per_class copies of every label 0..n_classes-1, shuffled: int64 [n_classes · per_class]."""
    return rng.permutation(np.repeat(np.arange(n_classes, dtype=np.int64), per_class))


# ---------------------------------------------------------------- digits (MNIST-like)

DIGIT_FRAME = 28  # MNIST's image side
DIGIT_BOX = 20  # MNIST fits each digit into a 20×20 box centred in the frame
DIGIT_JITTER = 2  # the box moves by up to ± this many pixels


def digit_images(source: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """uint8 [N, 28, 28] from 8×8 digit scans with values 0..16 (sklearn's load_digits().images)."""
    images = np.zeros((len(source), DIGIT_FRAME, DIGIT_FRAME), dtype=np.uint8)
    margin = (DIGIT_FRAME - DIGIT_BOX) // 2
    for i, scan in enumerate(source):
        small = Image.fromarray(np.round(scan * 255 / 16).astype(np.uint8))
        box = np.asarray(small.resize((DIGIT_BOX, DIGIT_BOX), Image.Resampling.BILINEAR))
        top, left = margin + rng.integers(-DIGIT_JITTER, DIGIT_JITTER + 1, size=2)
        images[i, top : top + DIGIT_BOX, left : left + DIGIT_BOX] = box
    return images


# ---------------------------------------------------------------- one picture with edges in every direction


def picture_with_edges(height: int, width: int, rng: np.random.Generator) -> np.ndarray:
    """uint8 [height, width, 3]: shapes whose edges run in every direction, on a colour ramp.

    A bright square (horizontal and vertical edges), a disc (every direction), a thin diagonal
    bar (diagonals) and a smooth horizontal ramp (no edge at all), in different colours with a
    little noise: what an image kernel keeps or removes shows at a glance.
    """
    y, x = np.meshgrid(np.linspace(0, 1, height), np.linspace(0, 1, width), indexing="ij")
    picture = np.stack([0.15 + 0.35 * x, 0.2 + 0.2 * y, 0.35 - 0.2 * x], axis=-1)  # the ramp
    square = (np.abs(x - 0.27) < 0.16) & (np.abs(y - 0.3) < 0.18)
    disc = (x - 0.7) ** 2 + (y - 0.65) ** 2 < 0.2**2
    bar = (np.abs((x - 0.12) - (y - 0.55)) < 0.025) & (y > 0.55) & (y < 0.95)
    for inside, colour in ((square, (0.95, 0.9, 0.3)), (disc, (0.3, 0.75, 0.95)), (bar, (0.95, 0.35, 0.35))):
        picture[inside] = colour
    picture += rng.normal(0, 0.01, picture.shape)
    return np.round(np.clip(picture, 0, 1) * 255).astype(np.uint8)
