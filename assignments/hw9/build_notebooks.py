"""Build hw9's notebooks and demo submissions from one source of truth: the cells below.

    .venv/bin/python assignments/hw9/build_notebooks.py

writes, next to this file,
  student.ipynb                      question text + stubs that raise NotImplementedError
  solution.ipynb                     the same cells filled in (self-contained: the grader's
                                     kernel cannot import `reference`)
  submissions/solution_demo.ipynb    = solution
  submissions/partly_wrong.ipynb     q1 conv parameters without biases, q4 locally connected
                                     layer counted as a shared-weight conv; the rest right
  submissions/raises_errors.ipynb    q2 apply_kernel hits a NameError, q3 build_best_model left
                                     a stub (so no model is trained)
  submissions/not_json.ipynb         the solution cut in half: not valid JSON

Solution markers and the build itself: see `graders.authoring`.
"""

from pathlib import Path

from graders.authoring import ANSWER_SLOT, Cell, code, markdown, replace, write_assignment

HERE = Path(__file__).resolve().parent

# ==================================================================================== intro

INTRO = markdown("intro", r"""
# Deep learning — homework 9 · تمرین نهم یادگیری عمیق: کانولوشن، کرنل‌ها، Keras Tuner و شمارش پارامترها

Four questions: 2-D vs 3-D convolution and pooling (q1), four classic image kernels (q2), a
hyperparameter search with **Keras Tuner** on CIFAR-10 (q3) and counting the parameters of a
small network with a **locally connected** layer (q4). Keras (TensorFlow) for q3, tf-keras for
q4 (Keras 3 has no `LocallyConnected2D`), NumPy and PyTorch elsewhere.

**How this notebook is graded.** The grader runs the whole notebook from top to bottom in a
fresh kernel (offline, CPU, a time limit per cell), then calls the functions you define here
*by name* on hidden inputs and compares the results with its own reference. So:
* keep every function's **name and signature** as given, and return what its docstring says
  (NumPy arrays, numbers, strings, lists, tuples or dicts — plain data);
* replace each `raise NotImplementedError` with your code (helper functions are welcome);
* written answers (explanations, comparisons) go in the cells marked **Your answer**;
  a TA grades them by hand.

`grade check assignments/hw9 my_notebook.ipynb` runs the public checks on your own machine.
""")

SETUP = code("setup", r"""
import os
import pickle

import matplotlib.pyplot as plt
import numpy as np
import torch  # PyTorch first: torchvision's triton crashes when it is loaded after TensorFlow
import torch.nn.functional as F
import keras
import keras_tuner
import tensorflow as tf
import tf_keras
""")

# ==================================================================================== q1

Q1_TEXT = markdown("q1.text", r"""
## Question 1 — Convolutions and pooling · سوال اول: کانولوشن دوبعدی و سه‌بعدی و انواع pooling

(a) Explain the **2-D convolution** over a multi-channel input (how a filter moves, how many
output channels $D_{out}$ filters give) and compare it with the **3-D convolution**; give
applications of both.
(b) Why do convolutional layers for images use 2-D convolutions (square filters over all channels)?
(c) Describe the kinds of **pooling**: max, average, global (max / average), min and adaptive pooling.

**Code.** Shapes follow PyTorch (channels first, one sample without the batch axis):
* `conv_output_shape(in_shape, out_channels, kernel, stride=1, padding=0)` — `in_shape` is
  `(C_in, H, W)` for a 2-D convolution or `(C_in, D, H, W)` for a 3-D one; `kernel`, `stride`,
  `padding` are an int (the same on every spatial axis) or a tuple with one entry per spatial
  axis. Return the output shape `(C_out, H_out, W_out)` or `(C_out, D_out, H_out, W_out)`
  (dilation 1, no ceil mode).
* `conv_param_count(in_channels, out_channels, kernel)` — the trainable parameters (weights and
  biases) of the layer; `kernel` is `(k_h, k_w)` for a 2-D and `(k_d, k_h, k_w)` for a 3-D convolution.
* `adaptive_pool2d(x, output_size, kind)` — adaptive `"max"` or `"avg"` pooling of the last two
  axes of `x` (e.g. `[N, C, H, W]`) to `output_size = (h, w)`, with PyTorch's bins: output row
  $i$ of $h$ pools input rows $\lfloor i H / h \rfloor$ up to (not including)
  $\lceil (i + 1) H / h \rceil$ (likewise columns); $h > H$ is allowed.
* `global_pool(x, kind)` — global `"max"` or `"avg"` pooling: `[N, C, H, W]` → `[N, C]`.

The grader compares all four with its reference on hidden shapes and arrays.
""")

Q1_CODE = code("q1.code", r'''
def conv_output_shape(in_shape, out_channels, kernel, stride=1, padding=0):
    """(C_out, *spatial_out) of a 2-D (in_shape (C, H, W)) or 3-D (in_shape (C, D, H, W)) convolution."""
    # BEGIN SOLUTION
    spatial = tuple(in_shape[1:])

    def per_axis(value):
        return (value,) * len(spatial) if isinstance(value, int) else tuple(value)

    sizes = zip(spatial, per_axis(kernel), per_axis(stride), per_axis(padding))
    # along each axis the filter fits at floor((n + 2p - k) / s) + 1 positions
    return (out_channels, *((n + 2 * p - k) // s + 1 for n, k, s, p in sizes))
    # END SOLUTION


def conv_param_count(in_channels, out_channels, kernel):
    """Weights and biases of a conv layer; kernel (k_h, k_w) for 2-D, (k_d, k_h, k_w) for 3-D."""
    # BEGIN SOLUTION
    # each of the C_out filters spans all C_in input channels (C_in · prod(kernel) weights) + a bias
    return out_channels * (in_channels * int(np.prod(kernel)) + 1)
    # END SOLUTION


def adaptive_pool2d(x, output_size, kind):
    """Adaptive "max" / "avg" pooling of the last two axes of x to output_size, with PyTorch's bins."""
    # BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    reduce = {"max": np.max, "avg": np.mean}[kind]

    def bins(n_in, n_out):  # [start, end) of each output cell; -(-a // b) is ceil(a / b)
        return [(i * n_in // n_out, -(-(i + 1) * n_in // n_out)) for i in range(n_out)]

    out = np.empty(x.shape[:-2] + tuple(output_size))
    for i, (r0, r1) in enumerate(bins(x.shape[-2], output_size[0])):
        for j, (c0, c1) in enumerate(bins(x.shape[-1], output_size[1])):
            out[..., i, j] = reduce(x[..., r0:r1, c0:c1], axis=(-2, -1))
    return out
    # END SOLUTION


def global_pool(x, kind):
    """Global "max" / "avg" pooling: every channel's whole map to one number, [N, C, H, W] -> [N, C]."""
    # BEGIN SOLUTION
    return {"max": np.max, "avg": np.mean}[kind](np.asarray(x, dtype=float), axis=(-2, -1))
    # END SOLUTION
''')

Q1_CHECK = code("q1.check", r"""
# Check against torch: a Conv2d and a Conv3d on the same 3-channel volume, adaptive and global pooling.
conv2d, conv3d = torch.nn.Conv2d(3, 8, 5, stride=2, padding=1), torch.nn.Conv3d(3, 8, (3, 5, 5), padding=(1, 0, 0))
for layer, sample in ((conv2d, torch.zeros(3, 32, 32)), (conv3d, torch.zeros(3, 16, 32, 32))):
    kernel = layer.kernel_size
    print(f"{type(layer).__name__}: shape {conv_output_shape(tuple(sample.shape), 8, kernel, layer.stride, layer.padding)} "
          f"torch {tuple(layer(sample[None]).shape[1:])} | parameters {conv_param_count(3, 8, kernel)} "
          f"torch {sum(p.numel() for p in layer.parameters())}")
x = np.random.default_rng(0).standard_normal((2, 3, 7, 10))
for kind, adaptive in (("max", F.adaptive_max_pool2d), ("avg", F.adaptive_avg_pool2d)):
    print(f"adaptive {kind} (7x10 -> 3x4) == torch:", np.allclose(adaptive_pool2d(x, (3, 4), kind), adaptive(torch.from_numpy(x), (3, 4)).numpy()))
print("global avg == torch:", np.allclose(global_pool(x, "avg"), torch.from_numpy(x).mean(dim=(2, 3)).numpy()))
""")

Q1_ANSWER = markdown("q1.answer", r"""
**Your answer.**

*(a) 2-D convolution.* A filter of a 2-D convolution over a $D_{in}$-channel input is itself 3-D,
$D_{in} \times k \times k$: it has the input's depth and slides only along height and width. At
every position the element-wise products are summed into **one number**, so one filter gives one
2-D output channel; $D_{out}$ filters give $D_{out}$ channels, stacked into the output
($D_{out}(D_{in} k^2 + 1)$ parameters). Applications: feature extraction from images (edges,
colours, textures), classification, detection, segmentation; signal processing.
*3-D convolution:* the filter's depth $k_d$ is smaller than the input's depth $D$, so it also
slides along the depth axis, and every filter produces a **3-D** output. It describes spatial
relations in 3-D: videos (time as depth), CT and MRI volumes, 3-D segmentation.

*(b) Why 2-D for images.* The channels of a pixel (R, G, B, or learned features) describe the
same location together; a filter should combine all of them at once and look for the pattern at
every *position* — sliding across the channel axis (mixing only some of them, e.g. red and blue)
has no meaning for images and would tie unrelated channels to a false neighbourhood.

*(c) Pooling* summarises a region of a feature map: fewer values, less computation, no
parameters, robustness to small shifts. **Max** keeps the strongest response of each window,
**average** the mean; **global** pooling reduces each channel's whole $n_h \times n_w$ map to one
number ($n_h \times n_w \times n_c \to 1 \times 1 \times n_c$), max or average; **min** keeps the
smallest value (useful for dark objects on a bright background; rarely used); **adaptive**
pooling fixes the *output* size and chooses the windows (and strides) from the input size, so
one network accepts inputs of any size.
""", ANSWER_SLOT)

# ==================================================================================== q2

Q2_TEXT = markdown("q2.text", r"""
## Question 2 — Four image kernels · سوال دوم: چهار کرنل پردازش تصویر

Apply the four kernels below to an image, show the results, and explain what each kernel does:

$$\text{kernel1} = \tfrac19\begin{bmatrix}1&1&1\\1&1&1\\1&1&1\end{bmatrix}, \quad
\text{kernel2} = \begin{bmatrix}0&1&0\\1&-4&1\\0&1&0\end{bmatrix}, \quad
\text{kernel3} = \begin{bmatrix}-1&-2&-1\\0&0&0\\1&2&1\end{bmatrix}, \quad
\text{kernel4} = \begin{bmatrix}-1&0&1\\-2&0&2\\-1&0&1\end{bmatrix}$$

**Code.**
* `kernel_labels()` — a dict naming what each kernel does: `{"kernel1": …, …, "kernel4": …}`,
  each value one of `"blur"`, `"edges"` (edges in every direction), `"horizontal_edges"`,
  `"vertical_edges"`.
* `apply_kernel(image, kernel)` — filter an image `[H, W]` (or `[H, W, C]`, each channel on its
  own) with an odd-sized 2-D kernel as CNN layers do: **cross-correlation** (no kernel flip),
  out$[i, j] = \sum_{u,v}$ kernel$[u, v]\,$image$[i + u - r, j + v - r]$ with $r$ = half the
  kernel size, and **zero padding** so the output has the image's shape.

The grader checks your labels, and filters hidden images with the four kernels (and other
kernels) through your `apply_kernel`.
""")

Q2_CODE = code("q2.code", r'''
KERNELS = {
    "kernel1": np.full((3, 3), 1 / 9),
    "kernel2": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float),
    "kernel3": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float),
    "kernel4": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float),
}


def kernel_labels():
    """What each kernel does: "blur", "edges", "horizontal_edges" or "vertical_edges"."""
    # BEGIN SOLUTION
    return {
        "kernel1": "blur",  # the mean of the 3x3 neighbourhood (weights sum to 1)
        "kernel2": "edges",  # the Laplacian, a second derivative: zero on flat regions and ramps
        "kernel3": "horizontal_edges",  # Sobel-y: the change from row to row
        "kernel4": "vertical_edges",  # Sobel-x: the change from column to column
    }
    # END SOLUTION


def apply_kernel(image, kernel):
    """Zero-padded 'same' cross-correlation of an [H, W] or [H, W, C] image with an odd-sized kernel."""
    # BEGIN SOLUTION
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    if image.ndim == 3:  # colour: every channel on its own
        return np.stack([apply_kernel(image[..., c], kernel) for c in range(image.shape[-1])], axis=-1)
    kh, kw = kernel.shape
    padded = np.pad(image, ((kh // 2, kh // 2), (kw // 2, kw // 2)))
    out = np.zeros_like(image)
    for u in range(kh):  # a sum of shifted copies of the image, one per kernel tap
        for v in range(kw):
            out += kernel[u, v] * padded[u : u + image.shape[0], v : v + image.shape[1]]
    return out
    # END SOLUTION
''')

Q2_SHOW = code("q2.show", r"""
# A test card: a bright square, a disc and a horizontal ramp show what each kernel responds to.
rows, cols = np.mgrid[0:64, 0:64]
card = np.where((rows > 10) & (rows < 30) & (cols > 8) & (cols < 28), 1.0, 0.0)
card = card + np.where((rows - 44) ** 2 + (cols - 44) ** 2 < 120, 0.7, 0.0) + 0.3 * cols / 63

figure, axes = plt.subplots(1, 5, figsize=(15, 3.2))
axes[0].imshow(card, cmap="gray")
axes[0].set_title("image")
for axis, (name, kernel) in zip(axes[1:], KERNELS.items()):
    axis.imshow(apply_kernel(card, kernel), cmap="gray")
    axis.set_title(f"{name}: {kernel_labels()[name]}")
for axis in axes:
    axis.axis("off")
plt.show()
plt.close(figure)

# Check against torch's conv2d (which is a cross-correlation too) with padding 1.
by_torch = F.conv2d(torch.from_numpy(card)[None, None], torch.from_numpy(KERNELS["kernel3"])[None, None], padding=1)[0, 0]
print("apply_kernel == torch conv2d:", np.allclose(apply_kernel(card, KERNELS["kernel3"]), by_torch.numpy()))
""")

Q2_ANSWER = markdown("q2.answer", r"""
**Your answer.**

* **kernel1 — box blur (average smoothing).** Every pixel becomes the mean of its $3 \times 3$
  neighbourhood; the weights sum to 1, so flat regions keep their brightness while noise and
  sharp edges are smoothed out. A larger kernel (or a larger denominator relative to the weights)
  blurs more.
* **kernel2 — Laplacian (edge detector).** The discrete second derivative
  $\partial^2/\partial x^2 + \partial^2/\partial y^2$; the weights sum to 0, so it is zero on flat
  regions and on linear ramps, and large where the intensity changes rapidly: edges in every
  direction (a double line, positive on one side, negative on the other).
* **kernel3 — Sobel in $y$.** A derivative down the rows ($[-1, 0, 1]^\top$) smoothed along the
  rows by $[1, 2, 1]$: it responds to changes from one row to the next, i.e. **horizontal edges**
  (the top and bottom of the square), and not at all to the horizontal ramp.
* **kernel4 — Sobel in $x$.** Its transpose: a derivative along the columns, so it responds to
  **vertical edges** (the left and right of the square) and gives a constant response on the ramp.
""", ANSWER_SLOT)

# ==================================================================================== q3

Q3_TEXT = markdown("q3.text", r"""
## Question 3 — Hyperparameter search with Keras Tuner · سوال سوم: جستجوی ابرپارامترها با Keras Tuner

(a) What is **Keras Tuner** for, and which functions does it offer to define hyperparameters?
(b) Which tuners does it provide? Compare them and justify the one you use.
(c) On **CIFAR-10**, search the space below with your tuner, report the best hyperparameters,
rebuild the best model, train it, and report its training and test accuracy.

| hyperparameter | kind | values |
|---|---|---|
| `conv_layers` | Int | 1 … 3 |
| `dense_layers` | Int | 1 … 4 |
| `units` | Int | 128 … 256, step 64 |
| `filters` | Int | 8 … 32, step 8 |
| `learning_rate` | Choice | 1e-4, 5e-4, 1e-3 |
| `optimizer` | Choice | `"adam"`, `"sgd"` |

The network: conv block $b = 0, 1, \dots$ (`conv_layers` of them) is two
`Conv2D(filters · 2^(b+1), 3×3, padding="same", activation="relu")`, then `MaxPooling2D(2)` and
`Dropout`; then `Flatten`, `dense_layers` × (`Dense(units, activation="relu")`, `Dropout`), and
`Dense(10, activation="softmax")`. It is compiled with the chosen optimizer and learning rate and
the sparse categorical cross-entropy. The best trial found (conv_layers 2, dense_layers 2,
units 128, filters 24, learning rate 5e-4, adam) has **951,098** parameters.

**What the grader uses** (keep these names):
* the data folder is `os.environ.get("CIFAR10_DIR", "data")`, holding `cifar-10-batches-py/`;
* `build_model(hp)` — the Keras Tuner hypermodel: registers the six hyperparameters on `hp`
  (with the names above) and returns the compiled model;
* `search_space()` — the space `build_model` registers, as a plain dict:
  `{"conv_layers": {"type": "Int", "min_value": 1, "max_value": 3, "step": 1}, …,
  "learning_rate": {"type": "Choice", "values": [0.0001, 0.0005, 0.001]}, …}`
  (read it from `keras_tuner.HyperParameters().space` after calling `build_model`);
* `model_param_count(hyperparameters)` — the number of parameters of the model `build_model`
  builds for a dict of values of the six hyperparameters (pin them with `hp.Fixed`);
* `build_best_model()` — a new compiled model with the best trial's hyperparameters;
* `model` — that model, **trained**: it takes float32 images `[N, 32, 32, 3]` in $[0, 1]$
  (NHWC) and returns class probabilities `[N, 10]`. The grader measures its accuracy on hidden
  images.

The grader re-runs the notebook on a CPU with a small version of CIFAR-10 (500 training images):
there the search is skipped and the best model trains for a few epochs only.
""")

Q3_DATA = code("q3.data", r'''
DATA_DIR = os.environ.get("CIFAR10_DIR", "data")
CLASS_NAMES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


def load_cifar10_batch(path):
    """(uint8 images [N, 32, 32, 3], int64 labels [N]) of one pickled CIFAR-10 batch."""
    with open(path, "rb") as file:
        batch = pickle.load(file, encoding="bytes")
    images = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return images, np.asarray(batch[b"labels"], dtype=np.int64)


def load_cifar10(root):
    folder = os.path.join(root, "cifar-10-batches-py")
    parts = [load_cifar10_batch(os.path.join(folder, f"data_batch_{i}")) for i in range(1, 6)]
    x_test, y_test = load_cifar10_batch(os.path.join(folder, "test_batch"))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]), x_test, y_test


x_train, y_train, x_test, y_test = load_cifar10(DATA_DIR)
x_train, x_test = x_train.astype(np.float32) / 255.0, x_test.astype(np.float32) / 255.0  # [0, 255] -> [0, 1]
print(f"train {x_train.shape}, test {x_test.shape}")
''')

Q3_HYPERMODEL = code("q3.hypermodel", r'''
CONV_DROPOUT, DENSE_DROPOUT = 0.25, 0.5  # drop rates after each pool / hidden dense layer (no parameters)
BEST = {"conv_layers": 2, "dense_layers": 2, "units": 128, "filters": 24, "learning_rate": 5e-4, "optimizer": "adam"}


def build_model(hp):
    """Keras Tuner hypermodel: registers the six hyperparameters and returns the compiled CNN."""
    # BEGIN SOLUTION
    conv_layers = hp.Int("conv_layers", 1, 3, step=1)
    dense_layers = hp.Int("dense_layers", 1, 4, step=1)
    units = hp.Int("units", 128, 256, step=64)
    filters = hp.Int("filters", 8, 32, step=8)
    learning_rate = hp.Choice("learning_rate", [1e-4, 5e-4, 1e-3])
    optimizer = hp.Choice("optimizer", ["adam", "sgd"])

    model = keras.Sequential([keras.Input(shape=(32, 32, 3))])
    for block in range(conv_layers):
        width = filters * 2 ** (block + 1)  # 24 -> blocks of 48 and 96 channels: the seed's 951,098
        model.add(keras.layers.Conv2D(width, 3, padding="same", activation="relu"))
        model.add(keras.layers.Conv2D(width, 3, padding="same", activation="relu"))
        model.add(keras.layers.MaxPooling2D(2))
        model.add(keras.layers.Dropout(CONV_DROPOUT))
    model.add(keras.layers.Flatten())
    for _ in range(dense_layers):
        model.add(keras.layers.Dense(units, activation="relu"))
        model.add(keras.layers.Dropout(DENSE_DROPOUT))
    model.add(keras.layers.Dense(10, activation="softmax"))
    step = keras.optimizers.Adam(learning_rate) if optimizer == "adam" else keras.optimizers.SGD(learning_rate)
    model.compile(optimizer=step, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
    # END SOLUTION


def pinned(values):
    """HyperParameters fixed to the given values: build_model then builds exactly that model."""
    hp = keras_tuner.HyperParameters()
    for name, value in values.items():
        hp.Fixed(name, value)
    return hp


def search_space():
    """The space build_model registers: {name: {"type": "Int", min/max/step} or {"type": "Choice", "values"}}."""
    # BEGIN SOLUTION
    hp = keras_tuner.HyperParameters()
    build_model(hp)
    space = {}
    for parameter in hp.space:
        config = parameter.get_config()
        kind = type(parameter).__name__
        if kind == "Int":
            space[parameter.name] = {"type": kind, **{key: config[key] for key in ("min_value", "max_value", "step")}}
        else:
            space[parameter.name] = {"type": kind, "values": list(config["values"])}
    return space
    # END SOLUTION


def model_param_count(hyperparameters):
    """Parameters of the model build_model builds for these hyperparameter values."""
    # BEGIN SOLUTION
    return build_model(pinned(hyperparameters)).count_params()
    # END SOLUTION


def build_best_model():
    """A new compiled model with the best trial's hyperparameters (951,098 parameters)."""
    # BEGIN SOLUTION
    return build_model(pinned(BEST))
    # END SOLUTION


print(search_space())
''')

Q3_SEARCH = code("q3.search", r'''
def run_search(max_epochs=10, factor=3):
    """Hyperband over the space (about 30 trials with max_epochs 10, as in the seed); the best values."""
    tuner = keras_tuner.Hyperband(build_model, objective="val_accuracy", max_epochs=max_epochs, factor=factor,
                                  seed=0, directory="tuner", project_name="hw9_q3", overwrite=True)
    tuner.search(x_train, y_train, validation_data=(x_test, y_test), batch_size=64, verbose=0)
    tuner.results_summary(3)
    return tuner.get_best_hyperparameters(1)[0].values


# The search trains dozens of networks: run it on the real data (a GPU); the grader's small data skips it.
if len(x_train) >= 10_000:
    BEST = run_search()
else:
    print(f"search skipped on {len(x_train)} training images; using the seed's best trial {BEST}")
''')

Q3_TRAIN = code("q3.train", r'''
# The small grader data (500 images) is learnt in 8 epochs (about 15 s on one CPU core: hidden
# accuracy 0.8-0.9 over three seeds, 0.65-0.8 after 6); the seed trained 50 epochs on CIFAR-10.
EPOCHS = 8 if len(x_train) < 5000 else 50
keras.utils.set_random_seed(0)
model = build_best_model()
model.summary()
history = model.fit(x_train, y_train, validation_data=(x_test, y_test), epochs=EPOCHS, batch_size=32, verbose=0)
_, train_accuracy = model.evaluate(x_train, y_train, verbose=0)
_, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"{model.count_params():,} parameters; train accuracy {train_accuracy:.3f}, test accuracy {test_accuracy:.3f}")

figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
for key in ("loss", "val_loss"):
    left.plot(history.history[key], label=key)
for key in ("accuracy", "val_accuracy"):
    right.plot(history.history[key], label=key)
for axis in (left, right):
    axis.set_xlabel("epoch")
    axis.legend()
plt.show()
plt.close(figure)
''')

Q3_ANSWER = markdown("q3.answer", r"""
**Your answer.**

*(a) Keras Tuner* automates the search for good hyperparameters of a Keras model, a slow and
tedious job by hand. The model is written as a function of a `HyperParameters` object `hp`,
whose methods declare the space: `hp.Int(name, min_value, max_value, step, sampling)`,
`hp.Float(name, min_value, max_value, step, sampling)`, `hp.Choice(name, values)`,
`hp.Boolean(name)` and `hp.Fixed(name, value)` (plus conditional scopes). A tuner then builds,
trains and evaluates models for values from that space and reports the best.

*(b) Tuners.* `RandomSearch` samples configurations at random (simple, no guarantee);
grid search tries every combination (exponential in the number of hyperparameters: here
$3 \cdot 4 \cdot 3 \cdot 4 \cdot 3 \cdot 2 = 864$ models); **Hyperband** trains many random
configurations for a few epochs and promotes the best $1/\text{factor}$ of each round to more
epochs (successive halving), so most of the budget goes to promising configurations;
`BayesianOptimization` fits a model (Gaussian process) of the objective on the trials so far and
picks the next configuration from it; `SklearnTuner` is for scikit-learn models. With a limited
GPU budget Hyperband is the natural choice: much cheaper than grid search, better use of the
budget than random search, and the space is small enough not to need a Bayesian model.

*(c) Results.* On CIFAR-10 (seed): best trial conv_layers 2, dense_layers 2, units 128,
filters 24, learning rate 5e-4, Adam, validation accuracy 0.69 after 10 epochs; the rebuilt model
has 951,098 parameters (convs 1,344 + 20,784 + 41,568 + 83,040, dense 786,560 + 16,512 + 1,290) and
after 50 epochs reaches training accuracy 0.944 and test accuracy 0.796 — not yet converged, and
the gap shows some overfitting despite the dropout layers. Adam beat SGD at these learning rates,
and the smallest `units` sufficed.
""", ANSWER_SLOT)

# ==================================================================================== q4

Q4_TEXT = markdown("q4.text", r"""
## Question 4 — Counting parameters · سوال چهارم: شمارش پارامترهای شبکه با لایه LocallyConnected2D

Count the trainable parameters of the network below, layer by layer, with the derivation
(input $28 \times 28 \times 1$; no padding, stride 1):

`Conv2D(20, 7×7)` → `MaxPooling2D(2)` → `Conv2D(10, 5×5)` → `LocallyConnected2D(2, 3×3)` →
`Flatten` → `Dense(10)`.

A locally connected layer slides its window like a convolution but does **not share** its
weights: every output position has its own filters and biases.

**Code.**
* `param_table(input_shape=(28, 28, 1))` — your derivation for an input of shape `(H, W, C)`:
  a list of six rows, one per layer in order, each a dict
  `{"layer": a name, "output_shape": (h, w, c) or (units,), "params": the layer's parameters}`.
* `build_lc_model(input_shape=(28, 28, 1))` — the network in **tf-keras** (`tf_keras.Sequential`,
  ReLU activations, softmax output), and `lc_model = build_lc_model()`.

The grader checks your table for the question's input and for hidden input shapes, and the
per-layer parameter counts of your tf-keras model.
""")

Q4_TABLE = code("q4.table", r'''
def param_table(input_shape=(28, 28, 1)):
    """[{"layer", "output_shape", "params"}] of the six layers, in closed form."""
    # BEGIN SOLUTION
    height, width, channels = input_shape
    rows = []

    def add(layer, output_shape, params):
        rows.append({"layer": layer, "output_shape": tuple(output_shape), "params": params})

    height, width = height - 7 + 1, width - 7 + 1  # 'valid' 7x7
    add("Conv2D(20, 7x7)", (height, width, 20), 20 * (7 * 7 * channels + 1))  # shared filters + biases
    height, width = height // 2, width // 2
    add("MaxPooling2D(2)", (height, width, 20), 0)
    height, width = height - 5 + 1, width - 5 + 1
    add("Conv2D(10, 5x5)", (height, width, 10), 10 * (5 * 5 * 20 + 1))
    height, width = height - 3 + 1, width - 3 + 1
    # no sharing: each of the height·width positions has its own 2 filters of 3·3·10 weights and 2 biases
    add("LocallyConnected2D(2, 3x3)", (height, width, 2), height * width * 2 * (3 * 3 * 10 + 1))
    add("Flatten", (height * width * 2,), 0)
    add("Dense(10)", (10,), 10 * (height * width * 2 + 1))
    return rows
    # END SOLUTION


def build_lc_model(input_shape=(28, 28, 1)):
    """The question's network in tf-keras."""
    # BEGIN SOLUTION
    layers = tf_keras.layers
    return tf_keras.Sequential([
        tf_keras.Input(shape=input_shape),
        layers.Conv2D(20, 7, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(10, 5, activation="relu"),
        layers.LocallyConnected2D(2, 3, activation="relu"),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])
    # END SOLUTION


table = param_table()
for row in table:
    print(f"{row['layer']:<28}{str(row['output_shape']):<16}{row['params']:>8,}")
print(f"{'total':<44}{sum(row['params'] for row in table):>8,}")
''')

Q4_CHECK = code("q4.check", r"""
# Check: the tf-keras model's summary, layer by layer, against the table.
lc_model = build_lc_model()
lc_model.summary()
print("per-layer counts agree:", [row["params"] for row in table] == [layer.count_params() for layer in lc_model.layers])
print("output shapes agree:", [row["output_shape"] for row in table] == [layer.output_shape[1:] for layer in lc_model.layers])
""")

Q4_ANSWER = markdown("q4.answer", r"""
**Your answer.**

* `Conv2D(20, 7×7)`: 20 filters of $7 \cdot 7 \cdot 1$ weights and a bias each:
  $20 (7 \cdot 7 \cdot 1 + 1) = 1{,}000$; output $22 \times 22 \times 20$ ($28 - 7 + 1 = 22$).
* `MaxPooling2D(2)`: no parameters; output $11 \times 11 \times 20$.
* `Conv2D(10, 5×5)`: the filters span the 20 input channels: $10 (5 \cdot 5 \cdot 20 + 1) = 5{,}010$;
  output $7 \times 7 \times 10$ ($11 - 5 + 1 = 7$).
* `LocallyConnected2D(2, 3×3)`: output $5 \times 5 \times 2$ ($7 - 3 + 1 = 5$). Like a convolution,
  each output unit sees a $3 \times 3 \times 10$ window, but the weights are **not shared**: each of
  the $5 \cdot 5 = 25$ positions has its own 2 filters and 2 biases:
  $25 \cdot 2 \cdot (3 \cdot 3 \cdot 10 + 1) = 2 (25 \cdot 90 + 25) = 4{,}550$.
* `Flatten`: no parameters; $5 \cdot 5 \cdot 2 = 50$ values.
* `Dense(10)`: $10 \cdot 50$ weights $+ 10$ biases $= 510$.

**Total: $1{,}000 + 5{,}010 + 4{,}550 + 510 = 11{,}070$**, as `model.summary()` confirms.
""", ANSWER_SLOT)

CELLS: tuple[Cell, ...] = (
    INTRO, SETUP,
    Q1_TEXT, Q1_CODE, Q1_CHECK, Q1_ANSWER,
    Q2_TEXT, Q2_CODE, Q2_SHOW, Q2_ANSWER,
    Q3_TEXT, Q3_DATA, Q3_HYPERMODEL, Q3_SEARCH, Q3_TRAIN, Q3_ANSWER,
    Q4_TEXT, Q4_TABLE, Q4_CHECK, Q4_ANSWER,
)

# The demo submissions: each breaks known tests on purpose (see the module docstring).
PARTLY_WRONG = {
    # the biases forgotten: C_out · C_in · prod(kernel)
    "q1.code": replace("out_channels * (in_channels * int(np.prod(kernel)) + 1)", "out_channels * in_channels * int(np.prod(kernel))"),
    # the locally connected layer counted as if it shared its weights like a conv (182, not 4,550)
    "q4.table": replace("height * width * 2 * (3 * 3 * 10 + 1)", "2 * (3 * 3 * 10 + 1)"),
}
RAISES_ERRORS = {
    # a typo: a variable that does not exist -> NameError in apply_kernel
    "q2.code": replace("padded = np.pad(image, ", "padded = np.pad(img, "),
    # build_best_model left unanswered: the training cell fails too, so `model` is never made
    "q3.hypermodel": replace(
        "def build_best_model():",
        'def build_best_model():\n    raise NotImplementedError("replace this line with your answer")',
    ),
}


DEMOS = {"partly_wrong": PARTLY_WRONG, "raises_errors": RAISES_ERRORS}


def main() -> None:
    write_assignment(HERE, CELLS, DEMOS)


if __name__ == "__main__":
    main()
