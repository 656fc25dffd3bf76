"""hw4.q5 hidden checks, by part: (c) the submitted model on the hidden split (accuracy, macro
AUC) and the 2-class variant of the lightweight VGG, (d) class activation maps on hidden images.

Only images go into the kernel; labels stay here, and metrics are computed here.
"""


import numpy as np
import pytest

from graders.data.image_folder import load_image_folder
from reference.hw4.q5_cam import cam_is_normalised
from reference.hw4.q5_metrics import accuracy, macro_auc
from reference.hw4.q5_parameter_counts import lightweight_vgg_parameter_count

pytestmark = pytest.mark.question("q5")

N_CLASSES = 8
SIZE = (128, 128)
BATCH = 16  # images per kernel call: ~3 MB on the wire


@pytest.fixture(scope="module")
def hidden_set(hidden_dataset_dir) -> tuple[np.ndarray, np.ndarray]:
    images, labels, _ = load_image_folder(hidden_dataset_dir("affectnet") / "Validation", SIZE)
    return images, labels


@pytest.fixture(scope="module")
def hidden_probabilities(kernel, hidden_set) -> np.ndarray:
    images, _ = hidden_set
    batches = [np.asarray(kernel.call("predict_proba", images[s : s + BATCH]), dtype=float) for s in range(0, len(images), BATCH)]
    probabilities = np.concatenate(batches)
    if probabilities.shape != (len(images), N_CLASSES) or not np.all(np.isfinite(probabilities)):
        pytest.fail(f"predict_proba returned shape {probabilities.shape} (or non-finite values) for {len(images)} images; "
                    f"expected ({len(images)}, {N_CLASSES})", pytrace=False)
    return probabilities


@pytest.mark.points(4)
def test_c_accuracy_on_hidden_images(hidden_set, hidden_probabilities, threshold):
    _, labels = hidden_set
    got = accuracy(labels, hidden_probabilities.argmax(axis=1))
    assert got >= threshold("accuracy"), (
        f"accuracy on {len(labels)} hidden images is {got:.3f}; at least {threshold('accuracy')} is needed "
        f"(chance is {1 / N_CLASSES:.3f})"
    )


@pytest.mark.points(4)
def test_c_macro_auc_on_hidden_images(hidden_set, hidden_probabilities, threshold):
    _, labels = hidden_set
    got = macro_auc(labels, hidden_probabilities)
    assert got >= threshold("macro_auc"), (
        f"macro one-vs-rest AUC on {len(labels)} hidden images is {got:.3f}; at least {threshold('macro_auc')} is needed"
    )


@pytest.mark.points(2)
def test_c_two_class_lightweight_vgg(kernel):
    got = kernel.value("sum(p.numel() for p in build_lightweight_vgg(2).parameters())")
    want = lightweight_vgg_parameter_count(2)
    assert got == want, f"build_lightweight_vgg(2) has {got:,} parameters, expected {want:,} (the paper's 2-output variant)"


@pytest.mark.points(3)
def test_d_class_activation_maps_on_hidden_images(kernel, hidden_set, hidden_probabilities):
    images, labels = hidden_set
    chosen = [int(np.flatnonzero(labels == k)[0]) for k in (0, 3, 5, 7)]
    maps = []
    for index in chosen:
        predicted = int(hidden_probabilities[index].argmax())
        cam = np.asarray(kernel.call("class_activation_map", images[index], predicted), dtype=float)
        assert cam.shape == SIZE, f"class_activation_map returned shape {cam.shape}, expected {SIZE}"
        assert cam_is_normalised(cam, SIZE), (
            f"class_activation_map values lie in [{np.nanmin(cam):.3g}, {np.nanmax(cam):.3g}], expected [0, 1] with maximum 1"
        )
        maps.append(cam)
    assert any(m.max() > m.min() for m in maps), "class_activation_map returned constant maps for every hidden image"
    assert not all(np.allclose(maps[0], m) for m in maps[1:]), "class_activation_map returned the same map for different images"
    first = chosen[0]
    least_likely = int(hidden_probabilities[first].argmin())
    other = np.asarray(kernel.call("class_activation_map", images[first], least_likely), dtype=float)
    assert other.shape == SIZE and not np.allclose(other, maps[0]), (
        "class_activation_map returned the same map for an image's most and least likely classes"
    )
