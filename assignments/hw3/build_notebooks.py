"""Build hw3's notebooks and demo submissions from one source of truth: the cells below.

    .venv/bin/python assignments/hw3/build_notebooks.py

writes, next to this file,
  student.ipynb                      question text + stubs that raise NotImplementedError
  solution.ipynb                     the same cells filled in (self-contained: the grader's
                                     kernel cannot import `reference`)
  submissions/solution_demo.ipynb    = solution
  submissions/partly_wrong.ipynb     q1 depth rounded to nearest instead of up, q2 naive Inception
                                     module without its pooling branch; the rest right
  submissions/raises_errors.ipynb    q1 flops_multiplier hits a NameError, q3 the ResNet's forward
                                     hits an AttributeError (so the network never trains)
  submissions/not_json.ipynb         the solution cut in half: not valid JSON

Solution markers and the build itself: see `graders.authoring`.
"""

from pathlib import Path

from graders.authoring import ANSWER_SLOT, Cell, code, markdown, replace, write_assignment

HERE = Path(__file__).resolve().parent

# ==================================================================================== intro

INTRO = markdown("intro", r"""
# Neural networks — homework 3 · تمرین سوم شبکه عصبی

Three questions: EfficientNet's compound scaling (q1), Inception modules and Inception-ResNet
(q2), and a ResNet for the Intel Image Classification data set (q3, PyTorch).

**How this notebook is graded.** The grader runs the whole notebook from top to bottom in a
fresh kernel (offline, CPU, a time limit per cell), then calls the functions you define here
*by name* on hidden inputs and compares the results with its own reference. So:
* keep every function's **name and signature** as given, and return what its docstring says;
* replace each `raise NotImplementedError` with your code (helper functions are welcome);
* written answers go in the cells marked **Your answer**; a TA grades them by hand.

`grade check assignments/hw3 my_notebook.ipynb` runs the public checks on your own machine.
""")

SETUP = code("setup", r"""
import math
import os
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
""")

# ==================================================================================== q1

Q1_TEXT = markdown("q1.text", r"""
## Question 1 — EfficientNet compound scaling · سوال اول: مقیاس‌دهی ترکیبی در EfficientNet

A convolutional network can be scaled up in **depth** (layers), **width** (channels) or input
**resolution**. Explain why scaling one dimension alone saturates, and how EfficientNet's
**compound scaling** scales all three with one coefficient $\phi$:

$$d = \alpha^\phi,\quad w = \beta^\phi,\quad r = \gamma^\phi \qquad \text{s.t. } \alpha \cdot \beta^2 \cdot \gamma^2 \approx 2,\quad \alpha, \beta, \gamma \ge 1.$$

Why do the FLOPs grow by about $2^\phi$? Describe the two steps (fix $\phi = 1$ and grid-search
$\alpha, \beta, \gamma$; then fix them and scale the baseline B0 with growing $\phi$) and why the
search is done on the small baseline.

**Code.**
* `flops_multiplier(alpha, beta, gamma, phi)` — the factor $(\alpha \beta^2 \gamma^2)^\phi$ by which
  a network's FLOPs grow.
* `scale_baseline(depth, width, resolution, alpha, beta, gamma, phi)` — the scaled baseline as
  three integers `(depth, width, resolution)`: depth $\lceil \text{depth} \cdot \alpha^\phi \rceil$
  (never fewer layers than asked), width $\text{width} \cdot \beta^\phi$ and resolution
  $\text{resolution} \cdot \gamma^\phi$ rounded to the nearest integer (halves up).

Then check the $2^\phi$ rule by measuring: scale a small plain CNN and count its FLOPs with
`torch.utils.flop_counter.FlopCounterMode`.
""")

Q1_CODE = code("q1.code", r'''
PAPER_ALPHA, PAPER_BETA, PAPER_GAMMA = 1.2, 1.1, 1.15  # EfficientNet-B0's grid-search result


def flops_multiplier(alpha, beta, gamma, phi):
    """(alpha * beta^2 * gamma^2) ** phi."""
    # BEGIN SOLUTION
    # FLOPs are linear in depth and quadratic in width (channels in and out) and in resolution
    return (alpha * beta**2 * gamma**2) ** phi
    # END SOLUTION


def scale_baseline(depth, width, resolution, alpha, beta, gamma, phi):
    """(ceil(depth * alpha^phi), round(width * beta^phi), round(resolution * gamma^phi)) as ints."""
    # BEGIN SOLUTION
    def nearest(x):
        return int(math.floor(x + 0.5))  # halves up (Python's round() sends 2.5 to 2)

    return (int(math.ceil(depth * alpha**phi)), nearest(width * beta**phi), nearest(resolution * gamma**phi))
    # END SOLUTION
''')

Q1_MEASURE = code("q1.measure", r'''
from torch.utils.flop_counter import FlopCounterMode


def plain_cnn(depth, width):
    """A baseline with explicit dimensions: stem 3 -> width, `depth` 3x3 convs width -> width, GAP, linear."""
    layers = [nn.Conv2d(3, width, 3, padding=1), nn.ReLU()]
    for _ in range(depth):
        layers += [nn.Conv2d(width, width, 3, padding=1), nn.ReLU()]
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, 10))


def count_flops(model, resolution, channels=3):
    """FLOPs of one forward pass on one resolution x resolution input (shapes only: the meta device)."""
    with FlopCounterMode(display=False) as counter:
        model.to("meta")(torch.empty(1, channels, resolution, resolution, device="meta"))
    return counter.get_total_flops()


# Step 1: the constrained grid (phi = 1); the paper scores each point by training B0 scaled by it.
grid = np.round(np.arange(1.0, 2.0001, 0.05), 10)
candidates = [(a, b, g) for a in grid for b in grid for g in grid if abs(a * b * b * g * g - 2) <= 0.1]
print(f"{len(candidates)} grid points satisfy alpha beta^2 gamma^2 = 2 +- 5%; the paper's (1.2, 1.1, 1.15) is one:",
      (1.2, 1.1, 1.15) in candidates, f"(alpha beta^2 gamma^2 = {flops_multiplier(1.2, 1.1, 1.15, 1):.3f})")

# Step 2: scale a baseline with growing phi and measure its FLOPs.
base = (4, 32, 64)  # depth, width, resolution
base_flops = count_flops(plain_cnn(*base[:2]), base[2])
for phi in range(1, 5):
    d, w, r = scale_baseline(*base, PAPER_ALPHA, PAPER_BETA, PAPER_GAMMA, phi)
    growth = count_flops(plain_cnn(d, w), r) / base_flops
    print(f"phi={phi}: depth {d}, width {w}, resolution {r}: FLOPs x{growth:.2f} "
          f"(predicted {flops_multiplier(PAPER_ALPHA, PAPER_BETA, PAPER_GAMMA, phi):.2f}, 2^phi = {2 ** phi})")
''')

Q1_ANSWER = markdown("q1.answer", r"""
**Your answer.**

*Why compound scaling.* Deeper networks capture richer features but become hard to train
(vanishing gradients, eased by skip connections) and their gain saturates; wider networks
capture finer features but shallow-and-wide ones miss high-level features; higher resolution
shows finer patterns but the gain also fades (around 80 % top-1 for each dimension alone in the
paper). The dimensions depend on each other: a larger image needs more layers (a larger receptive
field) and more channels (more fine-grained patterns), so they should be scaled **together**, in a
fixed ratio.

*FLOPs.* A conv layer costs $\propto H W C_\text{in} C_\text{out} k^2$: linear in depth,
quadratic in width (input and output channels both scale) and quadratic in resolution (height and
width both scale). So scaling by $(d, w, r)$ multiplies the FLOPs by $d w^2 r^2 = (\alpha \beta^2 \gamma^2)^\phi \approx 2^\phi$:
each unit of $\phi$ doubles the compute. The measurement above confirms it (up to rounding of the
integer sizes, and the stem and classifier that do not scale the same way).

*Two steps.* (1) Fix $\phi = 1$ (twice the resources) and grid-search $\alpha, \beta, \gamma$ under
$\alpha \beta^2 \gamma^2 \approx 2$, scoring each candidate by the accuracy of the scaled
baseline; the paper found $\alpha = 1.2$, $\beta = 1.1$, $\gamma = 1.15$ for B0. (2) Fix them and
raise $\phi$ to get B1 … B7. Searching directly on large models would also be possible, but each
candidate costs a full training of a big network; searching once on the small baseline and then
scaling is far cheaper. The baseline matters: scaling does not change its layer operators, so
B0 itself was found by a neural architecture search optimising accuracy and FLOPs.
""", ANSWER_SLOT)

# ==================================================================================== q2

Q2_TEXT = markdown("q2.text", r"""
## Question 2 — Inception modules · سوال دوم: ماژول Inception و Inception-ResNet

Explain the idea of the Inception module (parallel 1×1, 3×3 and 5×5 convolutions and a 3×3
max-pool on the same input, concatenated), its cost problem and how 1×1 convolutions solve it;
what changed in Inception-v4; and Inception-ResNet, including the **scaling of the residual
activations** that stabilised training with many filters.

**Code** (PyTorch). A module's widths are a dict like GoogLeNet's inception (3a):
`{"in_channels": 192, "n1x1": 64, "n3x3_reduce": 96, "n3x3": 128, "n5x5_reduce": 16, "n5x5": 32, "pool_proj": 32}`.
Every convolution has a bias and is followed by a ReLU (no batch norm); every branch keeps the
$H \times W$ grid ('same' padding; the pool is 3×3, stride 1, padding 1).
* `build_inception(config, naive=False)` returns an `nn.Module`:
  * `naive=False`: branches 1×1 → n1x1 | 1×1 → n3x3_reduce, 3×3 → n3x3 | 1×1 → n5x5_reduce,
    5×5 → n5x5 | max-pool, 1×1 → pool_proj; concatenated along the channels;
  * `naive=True`: 1×1 → n1x1 | 3×3 → n3x3 | 5×5 → n5x5 | max-pool (passes the input through);
* `inception_parameters(config, naive=False)` — the number of trainable parameters, in closed form;
* `flop_reduction_ratio(config)` — FLOPs of the module with reductions divided by the naive
  module's, counting $2 \cdot H \cdot W \cdot C_\text{out} \cdot C_\text{in} \cdot k^2$ per convolution
  (biases, ReLUs and pooling not counted; the ratio does not depend on $H \times W$);
* `InceptionResNetBlock(channels, branch_channels=32, scale=0.1)` — Inception-ResNet-A:
  branches 1×1 | 1×1, 3×3 | 1×1, 3×3, 3×3 (each to `branch_channels`), concatenated, a
  1×1 convolution back to `channels` **without** ReLU, and output $x + \text{scale} \cdot \text{residual}(x)$
  (no ReLU after the sum, so the block is exactly this formula);
* `residual_block_output(x, scale)` — the output (NumPy) of the one block `resnet_block`
  built below (32 channels) for a float32 array `x` of shape `[N, 32, H, W]`, with its scale set to
  `scale`. The grader checks that scale 0 gives the identity and that the output is affine in the scale.
""")

Q2_CODE = code("q2.code", r'''
GOOGLENET_3A = {"in_channels": 192, "n1x1": 64, "n3x3_reduce": 96, "n3x3": 128, "n5x5_reduce": 16, "n5x5": 32, "pool_proj": 32}


def conv_relu(c_in, c_out, kernel):
    """A 'same'-padded stride-1 convolution (with bias) followed by ReLU."""
    return nn.Sequential(nn.Conv2d(c_in, c_out, kernel, padding=kernel // 2), nn.ReLU())


class Concatenate(nn.Module):
    """Runs its branches on the same input and concatenates their outputs along the channels."""

    def __init__(self, *branches):
        super().__init__()
        self.branches = nn.ModuleList(branches)

    def forward(self, x):
        return torch.cat([branch(x) for branch in self.branches], dim=1)


def build_inception(config, naive=False):
    """GoogLeNet's Inception module (with 1x1 reductions), or its naive version."""
    # BEGIN SOLUTION
    c = config
    pool = nn.MaxPool2d(3, stride=1, padding=1)
    if naive:
        return Concatenate(
            conv_relu(c["in_channels"], c["n1x1"], 1),
            conv_relu(c["in_channels"], c["n3x3"], 3),
            conv_relu(c["in_channels"], c["n5x5"], 5),
            pool,
        )
    return Concatenate(
        conv_relu(c["in_channels"], c["n1x1"], 1),
        nn.Sequential(conv_relu(c["in_channels"], c["n3x3_reduce"], 1), conv_relu(c["n3x3_reduce"], c["n3x3"], 3)),
        nn.Sequential(conv_relu(c["in_channels"], c["n5x5_reduce"], 1), conv_relu(c["n5x5_reduce"], c["n5x5"], 5)),
        nn.Sequential(pool, conv_relu(c["in_channels"], c["pool_proj"], 1)),
    )
    # END SOLUTION


def module_convs(config, naive=False):
    """(c_in, c_out, kernel) of every convolution of the module."""
    # BEGIN SOLUTION
    c = config
    if naive:
        return [(c["in_channels"], c["n1x1"], 1), (c["in_channels"], c["n3x3"], 3), (c["in_channels"], c["n5x5"], 5)]
    return [
        (c["in_channels"], c["n1x1"], 1),
        (c["in_channels"], c["n3x3_reduce"], 1), (c["n3x3_reduce"], c["n3x3"], 3),
        (c["in_channels"], c["n5x5_reduce"], 1), (c["n5x5_reduce"], c["n5x5"], 5),
        (c["in_channels"], c["pool_proj"], 1),
    ]
    # END SOLUTION


def inception_parameters(config, naive=False):
    """Weights k*k*c_in*c_out plus one bias per output channel, summed over the convolutions."""
    # BEGIN SOLUTION
    return sum(k * k * c_in * c_out + c_out for c_in, c_out, k in module_convs(config, naive))
    # END SOLUTION


def flop_reduction_ratio(config):
    """FLOPs of the module with reductions / FLOPs of the naive module (convolutions only)."""
    # BEGIN SOLUTION
    def flops_per_pixel(convs):
        return sum(2 * c_out * c_in * k * k for c_in, c_out, k in convs)  # H * W cancels in the ratio

    return flops_per_pixel(module_convs(config)) / flops_per_pixel(module_convs(config, naive=True))
    # END SOLUTION
''')

Q2_RESNET = code("q2.resnet", r'''
class InceptionResNetBlock(nn.Module):
    """Inception-ResNet-A: x + scale * conv1x1(concat(branches(x)))."""

    def __init__(self, channels, branch_channels=32, scale=0.1):
        super().__init__()
        self.scale = scale
        # BEGIN SOLUTION
        b = branch_channels
        self.branches = Concatenate(
            conv_relu(channels, b, 1),
            nn.Sequential(conv_relu(channels, b, 1), conv_relu(b, b, 3)),
            nn.Sequential(conv_relu(channels, b, 1), conv_relu(b, b, 3), conv_relu(b, b, 3)),
        )
        # linear projection back to the input width: the residual must be able to be negative
        self.project = nn.Conv2d(3 * b, channels, 1)
        # END SOLUTION

    def forward(self, x):
        # BEGIN SOLUTION
        return x + self.scale * self.project(self.branches(x))
        # END SOLUTION


torch.manual_seed(0)
resnet_block = InceptionResNetBlock(32, branch_channels=16).eval()


def residual_block_output(x, scale):
    """resnet_block's output for x [N, 32, H, W] with its scale set to `scale` (NumPy)."""
    # BEGIN SOLUTION
    resnet_block.scale = float(scale)
    with torch.no_grad():
        return resnet_block(torch.as_tensor(np.asarray(x, dtype=np.float32))).numpy()
    # END SOLUTION
''')

Q2_CHECK = code("q2.check", r"""
# Check: shapes and parameter counts of the modules against torch, FLOPs measured, the scaling.
x = torch.zeros(1, 192, 28, 28)
for naive in (False, True):
    module = build_inception(GOOGLENET_3A, naive)
    counted = sum(p.numel() for p in module.parameters())
    print(f"{'naive' if naive else 'reduced'}: output {tuple(module(x).shape)}, {counted:,} parameters "
          f"(closed form {inception_parameters(GOOGLENET_3A, naive):,}), {count_flops(module, 28, channels=192) / 1e9:.3f} GFLOPs at 28x28")
print(f"FLOP reduction ratio {flop_reduction_ratio(GOOGLENET_3A):.4f}")

x = np.random.default_rng(0).standard_normal((2, 32, 7, 7)).astype(np.float32)
print("scale 0 is the identity:", np.allclose(residual_block_output(x, 0.0), x))
full = residual_block_output(x, 1.0) - x
print("residual scales linearly:", np.allclose(residual_block_output(x, 0.3) - x, 0.3 * full, atol=1e-5))
""")

Q2_ANSWER = markdown("q2.answer", r"""
**Your answer.**

*Inception.* Choosing a filter size per layer is hard: large objects suit large kernels, small
ones small kernels. The Inception module applies 1×1, 3×3 and 5×5 convolutions and a 3×3
max-pool **in parallel** to the same input and concatenates their outputs along the channels, so
each module extracts features at several scales and the network learns which to use. The naive
module is expensive: the 3×3 and especially 5×5 convolutions act on all input channels, and the
pool branch passes all input channels through, so the width grows from module to module. The fix:
**1×1 convolutions** before the 3×3 and 5×5 convolutions (and after the pool) reduce the number of
channels first (a bottleneck, with an extra ReLU). For GoogLeNet's (3a) this cuts the parameters
from 387,296 to 163,696 and the FLOPs to about 42 % (output 256 channels instead of 416).

*Inception-v4.* A cleaner, more uniform and deeper design (stem, Inception-A/B/C blocks,
dedicated reduction blocks), made possible once training moved to TensorFlow: before it, the
designers had been conservative to fit memory and partitioned training, afterwards deeper modules
with more filters were practical.

*Inception-ResNet.* Residual connections (ResNet) are added: the Inception branches form the
residual path, a linear 1×1 convolution matches the input width, and the result is added to the
input. With more than about 1000 filters, training died after some thousands of iterations (the
last layers output only zeros); scaling the residual by a factor of about 0.1–0.3 before the
addition ($x + s \cdot F(x)$) stabilised it. Depths and widths were chosen so that Inception-ResNet
costs about as much as Inception-v4: both reach similar accuracy, but the residual version
converges clearly faster.
""", ANSWER_SLOT)

# ==================================================================================== q3

Q3_TEXT = markdown("q3.text", r"""
## Question 3 — Intel Image Classification with a ResNet · سوال سوم: طبقه‌بندی تصاویر Intel با شبکه ResNet

Classify the Intel scenes into 6 classes (buildings, forest, glacier, mountain, sea, street) with
this ResNet ("ResNet9"); a *conv block* is conv 3×3 (padding 1) → BatchNorm → ReLU, optionally
followed by a 2×2 max-pool:

| stage | layers |
|---|---|
| prep | conv block 3 → 64 |
| layer 1 | conv block 64 → 128, max-pool |
| residual 1 | $x + \text{block}(\text{block}(x))$, two conv blocks 128 → 128 |
| layer 2 | conv block 128 → 256, max-pool |
| layer 3 | conv block 256 → 512, max-pool |
| residual 2 | $x + \text{block}(\text{block}(x))$, two conv blocks 512 → 512 |
| classifier | max-pool over the whole remaining map (to 1×1), flatten (512), linear 512 → 6 |

Train it with Adam and a **one-cycle** learning-rate schedule (max lr 0.01), plot the loss and
accuracy curves, and report the validation and test accuracy (the reported run: 18 epochs on
150×150 images, validation 0.91, test 0.90).

**What the grader uses** (keep these names):
* the data folder is `os.environ.get("INTEL_DIR", "intel")` with `seg_train/<class>/*.jpg` and
  `seg_test/<class>/*.jpg` (Kaggle's `seg_train/seg_train/...` nesting works too); labels are
  the indices of the class folders in sorted order;
* `IMAGE_SIZE` — the side your network takes (150 on the real data; the grader runs this notebook
  on small data, where the cell below picks 32 to keep training short on a CPU);
* `build_resnet9(n_classes=6, input_size=IMAGE_SIZE)` returns a new, untrained network;
* `predict_scenes(images)` takes float32 images `[N, IMAGE_SIZE, IMAGE_SIZE, 3]` in $[0, 1]$
  (NHWC) and returns the predicted class `[N]` of your trained network; the grader measures its
  accuracy on hidden test images.
""")

Q3_DATA = code("q3.data", r'''
from PIL import Image

INTEL_DIR = os.environ.get("INTEL_DIR", "intel")
CLASS_NAMES = ("buildings", "forest", "glacier", "mountain", "sea", "street")


def split_folder(name):
    """INTEL_DIR/name, or INTEL_DIR/name/name as in Kaggle's download."""
    folder = os.path.join(INTEL_DIR, name)
    nested = os.path.join(folder, name)
    return nested if os.path.isdir(nested) else folder


def count_images(folder):
    return sum(len(files) for _, _, files in os.walk(folder))


# 150 x 150 is the real images' size; the grader's small data set (180 training images) is
# learnt at 32 x 32 in a few CPU seconds per epoch.
IMAGE_SIZE = 32 if count_images(split_folder("seg_train")) < 1000 else 150


def load_split(folder):
    """(images float32 [N, IMAGE_SIZE, IMAGE_SIZE, 3] in [0, 1], labels int64 [N]) of folder/<class>/*."""
    # BEGIN SOLUTION
    images, labels = [], []
    for label, name in enumerate(sorted(os.listdir(folder))):
        for file in sorted(os.listdir(os.path.join(folder, name))):
            with Image.open(os.path.join(folder, name, file)) as image:
                rgb = image.convert("RGB").resize((IMAGE_SIZE, IMAGE_SIZE), Image.Resampling.BILINEAR)
            images.append(np.asarray(rgb, dtype=np.float32) / 255.0)
            labels.append(label)
    return np.stack(images), np.asarray(labels, dtype=np.int64)
    # END SOLUTION


x_all, y_all = load_split(split_folder("seg_train"))
x_test, y_test = load_split(split_folder("seg_test"))
# hold out 10% of the training images for the validation curves
order = np.random.default_rng(0).permutation(len(x_all))
n_val = len(x_all) // 10
x_val, y_val = x_all[order[:n_val]], y_all[order[:n_val]]
x_train, y_train = x_all[order[n_val:]], y_all[order[n_val:]]
print(f"train {x_train.shape}, validation {x_val.shape}, test {x_test.shape}")

figure, axes = plt.subplots(1, 6, figsize=(12, 2.3))
for k, axis in enumerate(axes):
    axis.imshow(x_train[np.flatnonzero(y_train == k)[0]])
    axis.set_title(CLASS_NAMES[k])
    axis.axis("off")
plt.show()
plt.close(figure)
''')

Q3_MODEL = code("q3.model", r'''
def conv_block(c_in, c_out, pool=False):
    """conv 3x3 (padding 1) -> BatchNorm -> ReLU [-> max-pool 2]."""
    # BEGIN SOLUTION
    layers = [nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU()]
    if pool:
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers)
    # END SOLUTION


class ResNet9(nn.Module):
    def __init__(self, n_classes=6, input_size=150):
        super().__init__()
        # BEGIN SOLUTION
        self.prep = conv_block(3, 64)
        self.layer1 = conv_block(64, 128, pool=True)
        self.residual1 = nn.Sequential(conv_block(128, 128), conv_block(128, 128))
        self.layer2 = conv_block(128, 256, pool=True)
        self.layer3 = conv_block(256, 512, pool=True)
        self.residual2 = nn.Sequential(conv_block(512, 512), conv_block(512, 512))
        # three 2x2 pools leave a (size // 8) x (size // 8) map: pool it whole, so the flatten is 512
        self.classifier = nn.Sequential(nn.MaxPool2d(input_size // 2 // 2 // 2), nn.Flatten(), nn.Linear(512, n_classes))
        # END SOLUTION

    def forward(self, x):
        # BEGIN SOLUTION
        x = self.layer1(self.prep(x))
        x = x + self.residual1(x)  # the skip connection
        x = self.layer3(self.layer2(x))
        x = x + self.residual2(x)
        return self.classifier(x)
        # END SOLUTION


def build_resnet9(n_classes=6, input_size=IMAGE_SIZE):
    return ResNet9(n_classes, input_size).to(DEVICE)


print(f"ResNet9: {sum(p.numel() for p in build_resnet9().parameters()):,} parameters")
''')

Q3_TRAINING = code("q3.training", r'''
@dataclass(frozen=True)
class OneCycleConfig:
    # 18 epochs on the real data; the small grader data is learnt in 6
    epochs: int = 6 if len(x_train) < 1000 else 18
    max_lr: float = 0.01  # peak of the one-cycle schedule (Adam)
    batch_size: int = 32
    weight_decay: float = 1e-4  # the usual companions of this recipe
    grad_clip: float = 0.1  # clip each gradient entry to [-0.1, 0.1]


def as_batch(images):
    """float32 NHWC in [0, 1] -> NCHW tensor on DEVICE."""
    return torch.as_tensor(np.asarray(images, dtype=np.float32)).permute(0, 3, 1, 2).to(DEVICE)


def evaluate(model, images, labels, batch_size=128):
    """(mean cross-entropy, accuracy) in eval mode."""
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(as_batch(images[s : s + batch_size])).cpu() for s in range(0, len(images), batch_size)])
    target = torch.as_tensor(labels)
    return F.cross_entropy(logits, target).item(), (logits.argmax(1) == target).float().mean().item()


def fit_one_cycle(model, config):
    """Adam with torch's OneCycleLR stepped every mini-batch; per-epoch losses and accuracies."""
    # BEGIN SOLUTION
    torch.manual_seed(0)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.max_lr, weight_decay=config.weight_decay)
    # an incomplete last batch is dropped: a batch of 2 images gives BatchNorm useless statistics
    steps_per_epoch = len(x_train) // config.batch_size
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, config.max_lr, epochs=config.epochs, steps_per_epoch=steps_per_epoch)
    y = torch.as_tensor(y_train)
    history = {"train_loss": [], "val_loss": [], "val_accuracy": [], "lr": []}
    for epoch in range(config.epochs):
        model.train()
        losses = []
        for batch in torch.randperm(len(x_train))[: steps_per_epoch * config.batch_size].split(config.batch_size):
            loss = F.cross_entropy(model(as_batch(x_train[batch.numpy()])), y[batch].to(DEVICE))
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_value_(model.parameters(), config.grad_clip)
            optimiser.step()
            history["lr"].append(schedule.get_last_lr()[0])
            schedule.step()
            losses.append(loss.item())
        val_loss, val_accuracy = evaluate(model, x_val, y_val)
        history["train_loss"].append(float(np.mean(losses)))
        history["val_loss"].append(val_loss)
        history["val_accuracy"].append(val_accuracy)
        print(f"epoch {epoch + 1}: train loss {history['train_loss'][-1]:.3f}, "
              f"validation loss {val_loss:.3f}, validation accuracy {val_accuracy:.3f}")
    return history
    # END SOLUTION


torch.manual_seed(0)
model = build_resnet9()
history = fit_one_cycle(model, OneCycleConfig())

figure, (left, middle, right) = plt.subplots(1, 3, figsize=(14, 3.5))
left.plot(history["train_loss"], label="train")
left.plot(history["val_loss"], label="validation")
left.set(xlabel="epoch", ylabel="cross-entropy")
left.legend()
middle.plot(history["val_accuracy"])
middle.set(xlabel="epoch", ylabel="validation accuracy")
right.plot(history["lr"])
right.set(xlabel="step", ylabel="learning rate", title="one-cycle schedule")
plt.show()
plt.close(figure)
''')

Q3_PREDICT = code("q3.predict", r'''
def predict_scenes(images, batch_size=128):
    """Predicted class (int [N]) of `model` for float32 NHWC images in [0, 1] of side IMAGE_SIZE."""
    # BEGIN SOLUTION
    model.eval()
    with torch.no_grad():
        logits = [model(as_batch(images[s : s + batch_size])).cpu() for s in range(0, len(images), batch_size)]
    return torch.cat(logits).argmax(1).numpy()
    # END SOLUTION


test_loss, test_accuracy = evaluate(model, x_test, y_test)
print(f"test loss {test_loss:.3f}, test accuracy {test_accuracy:.3f}; predict_scenes agrees:",
      np.mean(predict_scenes(x_test) == y_test) == test_accuracy)
''')

Q3_ANSWER = markdown("q3.answer", r"""
**Your answer.**

The network has 6,573,318 parameters (8 conv blocks with their batch norms and one linear layer);
the skip connections let the gradient flow around the residual stages, and batch normalisation
keeps the activations well scaled, so this 9-layer network trains quickly with a high learning
rate. The one-cycle schedule warms the rate up to 0.01 over the first 30 % of the steps and anneals
it to almost 0 at the end: the warm-up avoids early divergence, the high middle rates explore and
regularise, the final low rates converge. On the small data above the curves show the training
loss falling and the validation accuracy rising within a few epochs; on the real data the
reported run reached train loss 0.12, validation loss 0.25 and accuracy 0.91, test loss 0.27 and
accuracy 0.90 after 18 epochs. The remaining errors are mostly between similar scenes: glacier vs
mountain, buildings vs street.
""", ANSWER_SLOT)

CELLS: tuple[Cell, ...] = (
    INTRO, SETUP,
    Q1_TEXT, Q1_CODE, Q1_MEASURE, Q1_ANSWER,
    Q2_TEXT, Q2_CODE, Q2_RESNET, Q2_CHECK, Q2_ANSWER,
    Q3_TEXT, Q3_DATA, Q3_MODEL, Q3_TRAINING, Q3_PREDICT, Q3_ANSWER,
)

# The demo submissions: each breaks known tests on purpose (see the module docstring).
PARTLY_WRONG = {
    # depth rounded to the nearest integer: fewer layers than asked when the fraction is < 0.5
    "q1.code": replace("int(math.ceil(depth * alpha**phi))", "nearest(depth * alpha**phi)"),
    # the naive module forgets its pooling branch: 64 + 128 + 32 channels instead of 416
    "q2.code": replace(
        '            conv_relu(c["in_channels"], c["n5x5"], 5),\n            pool,\n',
        '            conv_relu(c["in_channels"], c["n5x5"], 5),\n',
    ),
}
RAISES_ERRORS = {
    # typos: a misspelt variable (NameError) and a misspelt submodule (AttributeError in forward)
    "q1.code": replace("return (alpha * beta**2 * gamma**2) ** phi", "return (alpha * beta**2 * gama**2) ** phi"),
    "q3.model": replace("x = x + self.residual1(x)  # the skip connection", "x = x + self.residual(x)  # the skip connection"),
}


DEMOS = {"partly_wrong": PARTLY_WRONG, "raises_errors": RAISES_ERRORS}


def main() -> None:
    write_assignment(HERE, CELLS, DEMOS)


if __name__ == "__main__":
    main()
