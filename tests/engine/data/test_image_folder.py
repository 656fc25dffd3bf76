"""Image folders: the same images, labels and order as torchvision.datasets.ImageFolder."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from graders.data.image_folder import load_image_folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three classes, PNG and JPEG, one grayscale image, one nested folder, one non-image."""
    root = tmp_path_factory.mktemp("folder")
    rng = np.random.default_rng(2)
    layout = {
        "zebra": ["b.png", "a.png", "nested/c.png"],
        "apple": ["x.jpg", "y.PNG"],
        "mango": ["m.png"],
    }
    for name, files in layout.items():
        for file in files:
            path = root / name / file
            path.parent.mkdir(parents=True, exist_ok=True)
            pixels = rng.integers(0, 256, (12, 10, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(path, **({"quality": 90} if file.endswith("jpg") else {}))
    Image.fromarray(rng.integers(0, 256, (12, 10), dtype=np.uint8)).save(root / "mango" / "gray.png")
    (root / "apple" / "notes.txt").write_text("not an image")
    return root


def imagefolder_arrays(root: Path, size: tuple[int, int] | None):
    from torchvision import transforms
    from torchvision.datasets import ImageFolder

    steps = ([transforms.Resize(size)] if size else []) + [transforms.ToTensor()]
    dataset = ImageFolder(str(root), transform=transforms.Compose(steps))
    images = np.stack([image.permute(1, 2, 0).numpy() for image, _ in dataset])
    return images, np.array(dataset.targets), dataset.classes


@pytest.mark.parametrize("size", [None, (8, 6)])
def test_agrees_with_imagefolder(folder: Path, size):
    images, labels, names = load_image_folder(folder, size)
    expected_images, expected_labels, expected_names = imagefolder_arrays(folder, size)
    assert names == expected_names == ["apple", "mango", "zebra"]
    np.testing.assert_array_equal(labels, expected_labels)
    assert images.dtype == np.float32 and labels.dtype == np.int64
    assert images.shape == (7, *(size or (12, 10)), 3)
    np.testing.assert_array_equal(images, expected_images)
    assert 0.0 <= images.min() and images.max() <= 1.0


def test_mixed_sizes_need_a_size(tmp_path: Path):
    for name, shape in {"a": (5, 5, 3), "b": (6, 5, 3)}.items():
        (tmp_path / name).mkdir()
        Image.fromarray(np.zeros(shape, dtype=np.uint8)).save(tmp_path / name / "i.png")
    with pytest.raises(ValueError, match="size"):
        load_image_folder(tmp_path)
    images, _, _ = load_image_folder(tmp_path, (4, 4))
    assert images.shape == (2, 4, 4, 3)
