"""hw3.q3 public checks: the ResNet9's parameter count and block structure, and the format of
predict_scenes on a few visible test images (accuracy is measured by a hidden test)."""

import numpy as np
import pytest

from graders.data.image_folder import load_image_folder
from reference.hw3.q3_parameter_count import resnet9_parameter_count

pytestmark = pytest.mark.question("q3")

# the seed's table: prep 3->64, layer1 64->128, residual 2x 128->128, layer2 128->256,
# layer3 256->512, residual 2x 512->512 (every conv 3x3, padding 1, then BatchNorm and ReLU)
SEED_BLOCKS = [(3, 64), (64, 128), (128, 128), (128, 128), (128, 256), (256, 512), (512, 512), (512, 512)]
N_CLASSES = 6


def test_parameter_count(kernel):
    got = kernel.value("sum(p.numel() for p in build_resnet9(6).parameters())")
    want = resnet9_parameter_count(N_CLASSES)
    assert got == want, (
        f"build_resnet9(6) has {got:,} parameters, expected {want:,} (8 conv blocks with bias and BatchNorm, linear 512 -> 6)"
    )


def test_block_structure(kernel):
    convs = kernel.value("[(m.in_channels, m.out_channels, *m.kernel_size, *m.padding) for m in build_resnet9(6).modules() "
                         "if isinstance(m, torch.nn.Conv2d)]")
    want = [(a, b, 3, 3, 1, 1) for a, b in SEED_BLOCKS]
    assert [tuple(c) for c in convs] == want, (
        f"the convolutions of build_resnet9(6) are (in, out, kernel, padding) {[tuple(c) for c in convs]}, expected {want}"
    )
    norms = kernel.value("[m.num_features for m in build_resnet9(6).modules() if isinstance(m, torch.nn.BatchNorm2d)]")
    assert norms == [b for _, b in SEED_BLOCKS], f"BatchNorm2d widths are {norms}, expected one after every conv: {[b for _, b in SEED_BLOCKS]}"
    linears = kernel.value("[(m.in_features, m.out_features) for m in build_resnet9(6).modules() if isinstance(m, torch.nn.Linear)]")
    assert [tuple(layer) for layer in linears] == [(512, N_CLASSES)], f"linear layers {linears}, expected one: 512 -> 6"


def test_predict_scenes_format(kernel, dataset_dir):
    size = kernel.value("IMAGE_SIZE")
    assert isinstance(size, int) and 8 <= size <= 512, f"IMAGE_SIZE is {size!r}; expected the input side in pixels (an int)"
    images, _, _ = load_image_folder(dataset_dir("intel") / "seg_test", (size, size))
    chosen = images[:: max(1, len(images) // 12)][:12]
    got = np.asarray(kernel.call("predict_scenes", chosen))
    assert got.shape == (len(chosen),), f"predict_scenes on {len(chosen)} images returned shape {got.shape}, expected ({len(chosen)},)"
    assert np.issubdtype(got.dtype, np.integer) and got.min() >= 0 and got.max() < N_CLASSES, (
        f"predict_scenes returned {got.tolist()}; expected integer classes 0-5"
    )
