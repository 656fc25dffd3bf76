"""hw3.q3 hidden checks: the ResNet9 for another class count and input sizes, and the trained
network's accuracy on the hidden test split (images go into the kernel, labels stay here)."""

from pathlib import Path

import numpy as np
import pytest

from graders.data.image_folder import load_image_folder
from reference.hw3.q3_parameter_count import resnet9_parameter_count

pytestmark = pytest.mark.question("q3")

BATCH = 64  # images per kernel call


def test_parameter_count_ten_classes(kernel):
    got = kernel.value("sum(p.numel() for p in build_resnet9(10).parameters())")
    want = resnet9_parameter_count(10)
    assert got == want, f"build_resnet9(10) has {got:,} parameters, expected {want:,}"


def test_output_shape_for_other_input_sizes(kernel):
    for size, n_classes in ((64, 6), (16, 10), (40, 6)):
        shape = kernel.value(f"tuple(build_resnet9({n_classes}, {size}).eval()(torch.zeros(2, 3, {size}, {size})).shape)")
        assert list(shape) == [2, n_classes], (
            f"build_resnet9({n_classes}, input_size={size}) maps a [2, 3, {size}, {size}] batch to {shape}, expected "
            f"[2, {n_classes}] (the classifier's max-pool covers the whole {size // 8}x{size // 8} map)"
        )


def hidden_test_folder(root: Path) -> Path:
    """seg_test of the hidden Intel split (also in Kaggle's nested seg_test/seg_test layout)."""
    folder = root / "seg_test"
    nested = folder / "seg_test"  # Kaggle's layout
    if nested.is_dir():
        return nested
    if not folder.is_dir():
        pytest.fail(f"the hidden Intel split is missing: expected {folder}", pytrace=False)
    return folder


@pytest.mark.points(2)
def test_accuracy_on_hidden_images(kernel, hidden_dataset_dir, threshold):
    size = kernel.value("IMAGE_SIZE")
    if not isinstance(size, int) or not 8 <= size <= 512:
        pytest.fail(f"IMAGE_SIZE is {size!r}; expected the input side in pixels (an int)", pytrace=False)
    images, labels, _ = load_image_folder(hidden_test_folder(hidden_dataset_dir("intel")), (size, size))
    predicted = np.concatenate([np.asarray(kernel.call("predict_scenes", images[s : s + BATCH])).ravel()
                                for s in range(0, len(images), BATCH)])
    assert predicted.shape == labels.shape, f"predict_scenes returned {predicted.shape[0]} classes for {len(labels)} images"
    got = float(np.mean(predicted == labels))
    assert got >= threshold("accuracy"), (
        f"accuracy on {len(labels)} hidden images is {got:.3f}; at least {threshold('accuracy')} is needed (chance is 1/6)"
    )
