"""Image-folder datasets: one sub-folder per class, the layout of Intel scenes and AffectNet.

    folder/
        class_a/ img001.jpg img002.png ...
        class_b/ ...

Classes are the sorted sub-folder names and a label is the index of its folder in that order,
the convention of torchvision.datasets.ImageFolder and keras.utils.image_dataset_from_directory.
Files are visited in ImageFolder's order (sorted os.walk of each class folder, then sorted
names), so labels and image order agree with ImageFolder on the same folder.
"""

import os
from pathlib import Path

import numpy as np
from PIL import Image

# torchvision's IMG_EXTENSIONS: what ImageFolder accepts (compared case-insensitively)
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")


def class_names(folder: Path) -> list[str]:
    """Sorted names of the class sub-folders (hidden ones such as .ipynb_checkpoints skipped)."""
    return sorted(entry.name for entry in os.scandir(folder) if entry.is_dir() and not entry.name.startswith("."))


def image_files(class_folder: Path) -> list[Path]:
    """The image files under one class folder, in ImageFolder's order."""
    files = []
    for directory, _, names in sorted(os.walk(class_folder, followlinks=True)):
        files += [Path(directory) / name for name in sorted(names) if name.lower().endswith(IMAGE_EXTENSIONS)]
    return files


def read_rgb(path: Path, size: tuple[int, int] | None = None) -> np.ndarray:
    """One image as float32 [H, W, 3] in [0, 1]; resized bilinearly to size = (height, width)."""
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        if size is not None and rgb.size != (size[1], size[0]):
            rgb = rgb.resize((size[1], size[0]), Image.Resampling.BILINEAR)  # PIL takes (width, height)
        return np.asarray(rgb, dtype=np.float32) / 255


def load_image_folder(
    folder: Path, size: tuple[int, int] | None = None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Every image under folder -> (images float32 [N, H, W, 3] in [0, 1], labels int64 [N], class names).

    size = (height, width) resizes every image (bilinear); without it all images must already
    share one size, as they must to be stacked into one array.
    """
    folder = Path(folder)
    names = class_names(folder)
    if not names:
        raise FileNotFoundError(f"{folder} has no class sub-folders")
    files: list[Path] = []
    labels: list[int] = []
    for label, name in enumerate(names):
        found = image_files(folder / name)
        if not found:
            raise FileNotFoundError(f"class folder {folder / name} holds no images ({', '.join(IMAGE_EXTENSIONS)})")
        files += found
        labels += [label] * len(found)

    first = read_rgb(files[0], size)
    images = np.empty((len(files), *first.shape), dtype=np.float32)
    images[0] = first
    for index, path in enumerate(files[1:], start=1):
        image = read_rgb(path, size)
        if image.shape != first.shape:
            raise ValueError(f"{path} is {image.shape[:2]}, {files[0]} is {first.shape[:2]}: pass size=(H, W)")
        images[index] = image
    return images, np.asarray(labels, dtype=np.int64), names
