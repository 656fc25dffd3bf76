"""hw4.q5 (1) — loading AffectNet, scaling to [0, 1], samples to show, counts around augmentation.

NumPy only: the grader calls these in its own process.

The data: AffectNet (Mollahosseini et al. 2017), 8 expressions, 1,200 images per class in the
homework's subset, in image folders Train/<class>/ and Validation/<class>/. Labels follow the
sorted folder names (the ImageFolder convention): anger, contempt, disgust, fear, happy,
neutral, sad, surprise.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from graders.data.image_folder import load_image_folder

IMAGE_SIZE = (128, 128)  # the lightweight VGG's input (height, width)


@dataclass(frozen=True)
class AffectNetData:
    x_train: np.ndarray  # float32 [N, 128, 128, 3] in [0, 1]
    y_train: np.ndarray  # int64 [N]
    x_val: np.ndarray
    y_val: np.ndarray
    class_names: list[str]


def load_affectnet(root: Path, size: tuple[int, int] = IMAGE_SIZE) -> AffectNetData:
    """root/Train and root/Validation, resized to size, scaled to [0, 1]."""
    x_train, y_train, names = load_image_folder(Path(root) / "Train", size)
    x_val, y_val, val_names = load_image_folder(Path(root) / "Validation", size)
    if names != val_names:
        raise ValueError(f"Train classes {names} differ from Validation classes {val_names}")
    return AffectNetData(x_train, y_train, x_val, y_val, names)


def normalise_unit_range(images: np.ndarray) -> np.ndarray:
    """uint8 pixels 0..255 -> float32 in [0, 1]: small, equal input scales keep the first
    layers' pre-activations moderate, so plain SGD/Adam steps are well conditioned from the start."""
    if images.dtype != np.uint8:
        raise TypeError(f"expected uint8 pixels, got {images.dtype}")
    return images.astype(np.float32) / 255


def samples_per_class(labels: np.ndarray, n_classes: int, per_class: int = 3, seed: int = 0) -> dict[int, np.ndarray]:
    """per_class random indices of every class (for the "show 3 samples per class" figure)."""
    rng = np.random.default_rng(seed)
    return {k: np.sort(rng.choice(np.flatnonzero(labels == k), per_class, replace=False)) for k in range(n_classes)}


@dataclass(frozen=True)
class AugmentCounts:
    before: np.ndarray  # int64 [n_classes]: images per class in the original set
    after: np.ndarray  # int64 [n_classes]: originals plus their augmented copies

    @property
    def total_before(self) -> int:
        return int(self.before.sum())

    @property
    def total_after(self) -> int:
        return int(self.after.sum())


def augment_counts(labels: np.ndarray, copies_per_image: int, n_classes: int) -> AugmentCounts:
    """Counts per class when every image is kept and copies_per_image augmented versions are added.

    E.g. 8 classes × 1,200 images with 2 copies of each: 9,600 -> 28,800.
    """
    before = np.bincount(labels, minlength=n_classes).astype(np.int64)
    return AugmentCounts(before=before, after=before * (1 + copies_per_image))
