"""hw4.q5 public checks, by part: (a) the normalised training images and the augmentation, (b) the
VGG16 transfer model, (c) the lightweight VGG's size and the format of predict_proba, (d) the class
activation maps. Accuracy and AUC on hidden images are measured by hidden checks; the curves,
confusion matrices, ROC curves, recipes and analyses are graded with the rubric.

Images go into the kernel; the checks run here."""

import numpy as np
import pytest

from graders.data.image_folder import class_names, image_files, load_image_folder, read_rgb

pytestmark = pytest.mark.question("q5")

N_CLASSES = 8
SIZE = (128, 128)


@pytest.fixture(scope="module")
def validation_images(dataset_dir) -> np.ndarray:
    """A few visible Validation images, two per class (float32 NHWC in [0, 1])."""
    images, labels, _ = load_image_folder(dataset_dir("affectnet") / "Validation", SIZE)
    chosen = np.concatenate([np.flatnonzero(labels == k)[:2] for k in range(N_CLASSES)])
    return images[chosen]


def is_normalised(cam: np.ndarray, atol: float = 1e-4) -> bool:
    """Finite, within [0, 1], with maximum 1 (or all zeros: no evidence anywhere)."""
    if not np.isfinite(cam).all() or cam.min() < -atol or cam.max() > 1 + atol:
        return False
    return bool(abs(cam.max() - 1) <= atol or np.all(np.abs(cam) <= atol))


@pytest.mark.points(2)
def test_a_training_images_are_normalised(kernel, dataset_dir):
    train = dataset_dir("affectnet") / "Train"
    files = [file for name in class_names(train) for file in image_files(train / name)]
    sample = files[:: max(1, len(files) // 200)]  # every image of a small set; about 200 of a large one
    want_mean = float(np.mean([read_rgb(file, SIZE).mean() for file in sample]))
    shape, kind, low, high, mean, spread = kernel.value(
        "(lambda a: (list(a.shape), a.dtype.kind, float(a.min()), float(a.max()), float(a.mean()), float(a.std())))"
        "(np.asarray(x_train))")
    want_shape = [len(files), *SIZE, 3]
    assert shape == want_shape, f"x_train has shape {shape}, expected every Train image as [N, 128, 128, 3] = {want_shape}"
    assert kind == "f", "x_train does not hold floating-point values; normalise the images to [0, 1]"
    assert 0 <= low and high <= 1, f"x_train's values lie in [{low:.3g}, {high:.3g}]; normalise the images to [0, 1]"
    assert spread > 0.02, f"x_train's values hardly vary (standard deviation {spread:.3g}): it should hold the Train images"
    assert abs(mean - want_mean) <= 0.05, (
        f"x_train's mean value is {mean:.3f}, the Train images' (scaled to [0, 1]) is {want_mean:.3f}: "
        "x_train should hold the Train images, divided by 255"
    )


@pytest.mark.points(2)
def test_a_augment_changes_images_and_keeps_them(kernel):
    originals = np.asarray(kernel.value("x_train[:: max(1, len(x_train) // 8)][:8]"), dtype=float)
    augmented = np.asarray(kernel.value("augment(x_train[:: max(1, len(x_train) // 8)][:8], np.random.default_rng(0))"), dtype=float)
    assert augmented.shape == originals.shape, (
        f"augment on {len(originals)} images returned shape {augmented.shape}, expected one augmented copy of each: {originals.shape}"
    )
    assert np.isfinite(augmented).all() and augmented.min() >= 0 and augmented.max() <= 1, (
        "augment returned values outside [0, 1]; augmented images stay normalised"
    )
    assert not np.allclose(augmented, originals), "augment returned the images unchanged"
    blank = [i for i, image in enumerate(augmented) if image.std() < 0.01]
    assert not blank, f"augment returned blank (constant) images at positions {blank}"
    drift = np.abs(augmented.mean(axis=(1, 2, 3)) - originals.mean(axis=(1, 2, 3)))
    assert drift.max() <= 0.2, (
        f"an augmented image's mean value differs from its original's by {drift.max():.2f}; "
        "an augmentation should keep the image's content"
    )


@pytest.mark.points(5)
def test_b_vgg16_transfer_model(kernel, expected):
    convs, shape = kernel.value(
        "torch.no_grad()(lambda m: ([[c.in_channels, c.out_channels, *c.kernel_size] for c in m.modules() "
        "if isinstance(c, torch.nn.Conv2d)], list(m.eval()(torch.rand(2, 3, 128, 128)).shape)))"
        "(build_vgg16_transfer(pretrained=False))")
    want = expected("q5.vgg16_convolutions")
    assert convs[: len(want)] == want, (
        f"the convolutions of build_vgg16_transfer(pretrained=False), as [in, out, height, width], begin with "
        f"{convs[: len(want)]}; VGG16's thirteen are {want}"
    )
    assert shape == [2, N_CLASSES], (
        f"build_vgg16_transfer(pretrained=False) maps two [3, 128, 128] images to shape {shape}, expected [2, {N_CLASSES}]"
    )


@pytest.mark.points(3)
def test_c_model_is_the_lightweight_vgg(kernel, expected):
    got = kernel.value("sum(p.numel() for p in model.parameters())")
    want = expected("q5.lightweight_vgg_parameters")
    assert got == want, (
        f"`model` has {got:,} parameters; the paper's lightweight VGG with 8 outputs has {want:,} "
        "(five blocks of two 3x3 convs 16/32/64/128/128 with 2x2 max-pooling, dense 2048->1024->1024->8)"
    )


@pytest.mark.points(2)
def test_c_predict_proba_returns_probabilities(kernel, validation_images):
    got = np.asarray(kernel.call("predict_proba", validation_images), dtype=float)
    want_shape = (len(validation_images), N_CLASSES)
    assert got.shape == want_shape, f"predict_proba on {len(validation_images)} images returned shape {got.shape}, expected {want_shape}"
    assert np.all(np.isfinite(got)) and got.min() >= 0, "predict_proba returned negative or non-finite values; return softmax probabilities"
    assert np.allclose(got.sum(axis=1), 1, atol=1e-4), (
        f"rows of predict_proba sum to {got.sum(axis=1).round(4).tolist()}; each row must be a probability distribution (softmax)"
    )
    assert np.ptp(got, axis=0).max() > 1e-6, (
        f"predict_proba gave all {len(got)} images (two of each class) the same probabilities; they must come from `model`"
    )


@pytest.mark.points(3)
def test_d_class_activation_map_is_a_normalised_map(kernel, validation_images):
    """Maps for the most likely class of two images of different classes, and for the least likely
    class of the first: each normalised, not all constant, and different from one another."""
    maps = []
    for image, rank in ((validation_images[0], -1), (validation_images[-1], -1), (validation_images[0], 0)):
        chosen = int(np.argsort(kernel.call("predict_proba", image[None])[0])[rank])
        cam = np.asarray(kernel.call("class_activation_map", image, chosen), dtype=float)
        assert cam.shape == SIZE, f"class_activation_map(image, {chosen}) returned shape {cam.shape}, expected {SIZE}"
        assert is_normalised(cam), (
            f"class_activation_map values lie in [{np.nanmin(cam):.3g}, {np.nanmax(cam):.3g}]; scale the upsampled map to "
            "[0, 1] with maximum 1 (divide by its maximum, or min-max scale)"
        )
        maps.append(cam)
    first, second, least_likely = maps
    assert first.max() > first.min() or second.max() > second.min(), (
        "class_activation_map returned constant maps for the predicted classes of two validation images"
    )
    assert not np.allclose(first, second), "class_activation_map returned the same map for two different images"
    assert not np.allclose(first, least_likely), (
        "class_activation_map returned the same map for an image's most and least likely classes: "
        "the map must show the evidence for the class it is asked about"
    )
