"""hw3.q3 hidden check: the trained network's accuracy on the hidden test split (images go into the
kernel, labels stay here). The accuracy is recorded for the class ranking: the handout's +20
points for the best test accuracy in the class (assignment.toml's rank_bonus)."""

from pathlib import Path

import numpy as np
import pytest

from graders.data.image_folder import load_image_folder

pytestmark = pytest.mark.question("q3")

BATCH = 64  # images per kernel call


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
def test_accuracy_on_hidden_images(kernel, hidden_dataset_dir, threshold, record_metric, image_size):
    images, labels, _ = load_image_folder(hidden_test_folder(hidden_dataset_dir("intel")), (image_size, image_size))
    predicted = np.concatenate([np.asarray(kernel.call("predict_scenes", images[s : s + BATCH])).ravel()
                                for s in range(0, len(images), BATCH)])
    assert predicted.shape == labels.shape, f"predict_scenes returned {predicted.shape[0]} classes for {len(labels)} images"
    got = float(np.mean(predicted == labels))
    record_metric("accuracy", got)
    assert got >= threshold("accuracy"), (
        f"accuracy on {len(labels)} hidden images is {got:.3f}; at least {threshold('accuracy')} is needed (chance is 1/6)"
    )
