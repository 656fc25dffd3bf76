# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] heading="title"
# Four questions: 2-D vs 3-D convolution and pooling (q1), four classic image kernels applied with
# **OpenCV** (q2), a hyperparameter search with **Keras Tuner** on CIFAR-10 (q3) and, as a **bonus**,
# counting the parameters of a small network with a **locally connected** layer (q4). Keras
# (TensorFlow) for q3, tf-keras for q4 (Keras 3 has no `LocallyConnected2D`), NumPy and PyTorch
# elsewhere.
#
# **How this notebook is graded.** The grader runs the whole notebook from top to bottom in a
# fresh kernel (offline, CPU, a time limit per cell), then calls the functions you define here
# *by name* on hidden inputs and compares the results with its own reference. So:
# * keep every function's **name and signature** as given, and return what its docstring says
#   (NumPy arrays, numbers, strings, lists, tuples or dicts — plain data);
# * replace each `raise NotImplementedError` with your code (helper functions are welcome);
# * written answers (explanations, comparisons) go in the cells marked **Your answer**;
#   a TA grades them by hand.
#
# To run the public checks on your own machine, see the README beside this notebook
# (`grade check <homework folder> <your notebook>`).


# %% [markdown] lang="fa"
# چهار سؤال: کانولوشن دوبعدی و سه‌بعدی و pooling (سؤال ۱)، چهار کرنل کلاسیک پردازش تصویر با **OpenCV**
# (سؤال ۲)، جستجوی ابرپارامترها با **Keras Tuner** روی CIFAR-10 (سؤال ۳) و به عنوان سؤال **امتیازی**، شمارش
# پارامترهای یک شبکهٔ کوچک با یک لایهٔ **locally connected** (سؤال ۴). برای سؤال ۳ از Keras (TensorFlow)، برای
# سؤال ۴ از tf-keras (در Keras 3 لایهٔ `LocallyConnected2D` وجود ندارد) و در بقیهٔ بخش‌ها از NumPy و PyTorch
# استفاده می‌شود.
#
# **این نوت‌بوک چگونه تصحیح می‌شود.** تصحیح‌گر کل نوت‌بوک را از ابتدا تا انتها در یک کرنل تازه اجرا می‌کند
# (بدون اینترنت، روی CPU، با محدودیت زمان برای هر سلول) و سپس توابعی را که اینجا تعریف می‌کنید *با نامشان*
# روی ورودی‌های پنهان صدا می‌زند و نتیجه را با پاسخ مرجع خود مقایسه می‌کند. پس:
# * **نام و امضای** هر تابع را همان‌طور که داده شده نگه دارید و همان چیزی را برگردانید که docstring آن می‌گوید
#   (آرایهٔ NumPy، عدد، رشته، لیست، تاپل یا دیکشنری: دادهٔ ساده)؛
# * به جای هر `raise NotImplementedError` کد خود را بنویسید (تعریف توابع کمکی آزاد است)؛
# * پاسخ‌های نوشتاری (توضیح‌ها و مقایسه‌ها) را در سلول‌های **Your answer** بنویسید؛ دستیار آموزشی آن‌ها را
#   تصحیح می‌کند.
#
# برای اجرای آزمون‌های عمومی روی رایانهٔ خودتان، راهنمای README کنار این نوت‌بوک را ببینید.


# %%
import os
import pickle

import cv2
import matplotlib.pyplot as plt
import numpy as np
import torch  # PyTorch first: torchvision's triton crashes when it is loaded after TensorFlow
import torch.nn.functional as F
import keras
import keras_tuner
import tensorflow as tf  # noqa: F401  (for your own code)
import tf_keras  # noqa: F401  (q4's network is built with it)


# %% [markdown] heading="q1"
# (a) Explain the **2-D convolution** over a multi-channel input (how a filter moves, how many
# output channels $D_{out}$ filters give) and compare it with the **3-D convolution**; give
# applications of both.
# (b) Why are most filters **square**, and what do you consider when you choose the **size** of a filter?
# (c) What kinds of **pooling** are there and how do they differ? When do you use a pooling layer?
#
# (a)–(c) are written answers. The code below goes with them (a TA grades the answers; the
# grader checks the code).
#
# **Code.** Shapes follow PyTorch (channels first, one sample without the batch axis):
# * `conv_output_shape(in_shape, out_channels, kernel, stride=1, padding=0)` — `in_shape` is
#   `(C_in, H, W)` for a 2-D convolution or `(C_in, D, H, W)` for a 3-D one; `kernel`, `stride`,
#   `padding` are an int (the same on every spatial axis) or a tuple with one entry per spatial
#   axis. Return the output shape `(C_out, H_out, W_out)` or `(C_out, D_out, H_out, W_out)`
#   (dilation 1, no ceil mode).
# * `conv_param_count(in_channels, out_channels, kernel)` — the trainable parameters (weights and
#   biases) of the layer; `kernel` is `(k_h, k_w)` for a 2-D and `(k_d, k_h, k_w)` for a 3-D convolution.
# * `adaptive_pool2d(x, output_size, kind)` — adaptive `"max"` or `"avg"` pooling of the last two
#   axes of `x` (e.g. `[N, C, H, W]`) to `output_size = (h, w)`, with PyTorch's bins: output row
#   $i$ of $h$ pools input rows $\lfloor i H / h \rfloor$ up to (not including)
#   $\lceil (i + 1) H / h \rceil$ (likewise columns); $h > H$ is allowed.
# * `global_pool(x, kind)` — global `"max"` or `"avg"` pooling: `[N, C, H, W]` → `[N, C]`.
#
# The grader compares all four with its reference on hidden shapes and arrays.


# %% [markdown] lang="fa"
# (الف) کانولوشن **دوبعدی** روی ورودی چندکاناله را توضیح دهید (فیلتر چگونه حرکت می‌کند و $D_{out}$ فیلتر چند
# کانال خروجی می‌دهند) و آن را با کانولوشن **سه‌بعدی** مقایسه کنید؛ کاربردهای هر دو را بیان کنید.
#
# (ب) چرا بیشتر فیلترها **مربعی** هستند و در انتخاب **اندازهٔ** فیلتر چه چیزهایی را در نظر می‌گیرید؟
#
# (ج) چه انواعی از **pooling** وجود دارد و چه تفاوتی با هم دارند؟ چه زمانی از لایهٔ pooling استفاده می‌کنید؟
#
# پاسخ (الف) تا (ج) نوشتاری است و دستیار آموزشی آن را تصحیح می‌کند. **کد.** توابع `conv_output_shape`،
# `conv_param_count`، `adaptive_pool2d` و `global_pool` را همان‌طور که در بخش **Code** بالا آمده پیاده‌سازی کنید.


# %%
def conv_output_shape(in_shape, out_channels, kernel, stride=1, padding=0):
    """(C_out, *spatial_out) of a 2-D (in_shape (C, H, W)) or 3-D (in_shape (C, D, H, W)) convolution."""
    # BEGIN SOLUTION
    # Not reference.hw9.q1_conv_pooling.conv_output_shape: that one reads a helper of its module
    # (_per_axis) and refuses a kernel larger than the padded input; here the formula, self-contained.
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
    # Not the reference's: it also takes bias=False; the question always counts the biases.
    # each of the C_out filters spans all C_in input channels (C_in · prod(kernel) weights) + a bias
    return out_channels * (in_channels * int(np.prod(kernel)) + 1)
    # END SOLUTION


def adaptive_pool2d(x, output_size, kind):
    """Adaptive "max" / "avg" pooling of the last two axes of x to output_size, with PyTorch's bins."""
    # BEGIN SOLUTION
    # Not the reference's: it names the size out_hw and takes its bins and reducers from its module;
    # the question names it output_size.
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
    # Not the reference's: it reads its module's table of reducers, which the notebook does not define.
    return {"max": np.max, "avg": np.mean}[kind](np.asarray(x, dtype=float), axis=(-2, -1))
    # END SOLUTION


# %%
# Check against torch: a Conv2d and a Conv3d on the same 3-channel volume, adaptive and global pooling.
conv2d, conv3d = torch.nn.Conv2d(3, 8, 5, stride=2, padding=1), torch.nn.Conv3d(3, 8, (3, 5, 5), padding=(1, 0, 0))
for layer, sample in ((conv2d, torch.zeros(3, 32, 32)), (conv3d, torch.zeros(3, 16, 32, 32))):
    kernel = layer.kernel_size
    print(f"{type(layer).__name__}: shape {conv_output_shape(tuple(sample.shape), 8, kernel, layer.stride, layer.padding)} "
          f"torch {tuple(layer(sample[None]).shape[1:])} | parameters {conv_param_count(3, 8, kernel)} "
          f"torch {sum(p.numel() for p in layer.parameters())}")
x = np.random.default_rng(0).standard_normal((2, 3, 7, 10))
for kind, adaptive in (("max", F.adaptive_max_pool2d), ("avg", F.adaptive_avg_pool2d)):
    by_torch = adaptive(torch.from_numpy(x), (3, 4)).numpy()
    print(f"adaptive {kind} (7x10 -> 3x4) == torch:", np.allclose(adaptive_pool2d(x, (3, 4), kind), by_torch))
print("global avg == torch:", np.allclose(global_pool(x, "avg"), torch.from_numpy(x).mean(dim=(2, 3)).numpy()))


# %% [markdown] answer="q1"
# *(a) 2-D convolution.* A filter of a 2-D convolution over a $D_{in}$-channel input is itself 3-D,
# $D_{in} \times k \times k$: it has the input's depth and slides only along height and width. At
# every position the element-wise products are summed into **one number**, so one filter gives one
# 2-D output channel; $D_{out}$ filters give $D_{out}$ channels, stacked into the output
# ($D_{out}(D_{in} k^2 + 1)$ parameters). Applications: feature extraction from images (edges,
# colours, textures), classification, detection, segmentation; signal processing.
# *3-D convolution:* the filter's depth $k_d$ is smaller than the input's depth $D$, so it also
# slides along the depth axis, and every filter produces a **3-D** output. It describes spatial
# relations in 3-D: videos (time as depth), CT and MRI volumes, 3-D segmentation.
#
# *(b) Square filters.* An image has no preferred direction: a pattern can appear at any
# orientation, so there is no reason to make a filter wider than it is tall (a non-square filter
# fits a signal that is stretched one way, e.g. a spectrogram or text lines). Square filters are
# also simpler to implement and to optimise (one size per layer, the same stride and padding on
# both axes), and with an **odd** side ($3 \times 3$, $5 \times 5$) the filter has a centre pixel,
# so "same" padding is symmetric and the output stays aligned with the input.
# *Choosing the size:* the scale of the features to detect and the receptive field the layer needs
# (large filters see more context, small ones fine detail); the cost, which grows with $k^2$ in
# parameters and computation; stacking small filters instead of one large one — two $3 \times 3$
# layers see $5 \times 5$ with $2 \cdot 9 = 18$ instead of 25 weights per channel pair and one more
# non-linearity (VGG), three see $7 \times 7$; $1 \times 1$ filters mix channels only; the input
# resolution (large images can afford a larger first filter or stride, small ones like CIFAR-10's
# $32 \times 32$ cannot); and in the end experiment (a hyperparameter like any other).
#
# *(c) Pooling* summarises a region of a feature map; it has no parameters. **Max** keeps the
# strongest response of each window (is the feature present?), **average** the mean (smoother,
# keeps the overall level); **global** pooling reduces each channel's whole $n_h \times n_w$ map to
# one number ($n_h \times n_w \times n_c \to 1 \times 1 \times n_c$), max or average, in place of a
# large flatten + dense head; **min** keeps the smallest value (dark objects on a bright
# background; rarely used); **adaptive** pooling fixes the *output* size and derives the windows
# from the input size, so one network accepts inputs of any size; **L2** pooling keeps the window's
# norm. *When to use it:* after a few convolutions, to shrink the maps (less computation and memory,
# fewer parameters in the dense layers), to enlarge the receptive field of the layers that follow,
# and for robustness to small shifts. Not where exact positions matter (segmentation outputs,
# localisation; there strided convolutions or none at all), and not so often that the map
# shrinks away before the features are formed.


# %% [markdown] heading="q2"
# Read the given image `img1` with OpenCV **in grayscale**, so that it has one channel
# (`cv2.imread(path, cv2.IMREAD_GRAYSCALE)`). Slide each of the four kernels below over it
# (`cv2.filter2D`), show the results, and explain what information each kernel extracts:
#
# $$\text{kernel1} = \tfrac19\begin{bmatrix}1&1&1\\1&1&1\\1&1&1\end{bmatrix}, \quad
# \text{kernel2} = \begin{bmatrix}-1&-1&-1\\-1&8&-1\\-1&-1&-1\end{bmatrix}, \quad
# \text{kernel3} = \begin{bmatrix}-1&-2&-1\\0&0&0\\1&2&1\end{bmatrix}, \quad
# \text{kernel4} = \begin{bmatrix}-1&0&1\\-2&0&2\\-1&0&1\end{bmatrix}$$
#
# **What the grader uses** (keep these names):
# * the image is `img1.jpg` in the folder `os.environ.get("HW9_IMAGES_DIR", ".")`; `img1` is the
#   image as read (a 2-D array);
# * `kernel_labels()` — a dict naming what each kernel does: `{"kernel1": …, …, "kernel4": …}`,
#   each value one of `"blur"`, `"edges"` (edges in every direction), `"horizontal_edges"`,
#   `"vertical_edges"`;
# * `apply_kernel(image, kernel)` — slide an odd-sized 2-D kernel over a float image `[H, W]` (or
#   `[H, W, C]`, each channel on its own) as `cv2.filter2D` does: a **cross-correlation** (no
#   kernel flip), out$[i, j] = \sum_{u,v}$ kernel$[u, v]\,$image$[i + u - r, j + v - r]$ with $r$
#   = half the kernel size, returned as floats (no rounding, no clipping of negative responses).
#   Near the border any standard rule is accepted: OpenCV's default (reflection without repeating
#   the edge pixel), zero padding, reflection, replication, wrap-around — or no border at all,
#   a smaller $(H - k + 1) \times (W - k + 1)$ result.
#
# The grader checks that `img1` is the grayscale image, checks your labels, and filters hidden
# images with the four kernels (and other kernels) through your `apply_kernel`.


# %% [markdown] lang="fa"
# تصویر داده‌شدهٔ `img1` را با OpenCV به صورت **خاکستری** بخوانید تا یک کانال داشته باشد
# (`cv2.imread(path, cv2.IMREAD_GRAYSCALE)`). هر یک از چهار کرنل بالا را روی آن بلغزانید (`cv2.filter2D`)،
# نتیجه‌ها را نشان دهید و توضیح دهید هر کرنل چه اطلاعاتی را استخراج می‌کند.
#
# **کد.** `img1`، `kernel_labels()` و `apply_kernel(image, kernel)` را همان‌طور که در بخش **What the grader uses**
# بالا آمده تعریف کنید؛ نزدیک مرز تصویر هر قاعدهٔ استانداردی پذیرفته می‌شود.


# %%
KERNELS = {
    "kernel1": np.full((3, 3), 1 / 9),
    "kernel2": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], dtype=float),
    "kernel3": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float),
    "kernel4": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float),
}


def kernel_labels():
    """What each kernel does: "blur", "edges", "horizontal_edges" or "vertical_edges"."""
    # BEGIN SOLUTION
    return {
        "kernel1": "blur",  # the mean of the 3x3 neighbourhood (weights sum to 1)
        "kernel2": "edges",  # 9 x (centre - neighbourhood mean), a Laplacian: zero on flat regions and ramps
        "kernel3": "horizontal_edges",  # Sobel-y: the change from row to row
        "kernel4": "vertical_edges",  # Sobel-x: the change from column to column
    }
    # END SOLUTION


def apply_kernel(image, kernel):
    """Cross-correlation of an [H, W] or [H, W, C] float image with an odd-sized kernel, as cv2.filter2D."""
    # BEGIN SOLUTION
    # Not reference.hw9.q2_kernels.apply_kernel: that one pads with NumPy under every border rule
    # (the grader accepts each); the question asks for OpenCV.
    # float64 in and out (ddepth -1 keeps the input's depth): negative edge responses survive;
    # the border is OpenCV's default, BORDER_REFLECT_101
    return cv2.filter2D(np.asarray(image, dtype=np.float64), -1, np.asarray(kernel, dtype=np.float64))
    # END SOLUTION


# %%
IMAGE_DIR = os.environ.get("HW9_IMAGES_DIR", ".")
# BEGIN SOLUTION
img1 = cv2.imread(os.path.join(IMAGE_DIR, "img1.jpg"), cv2.IMREAD_GRAYSCALE)  # uint8 [H, W]: one channel
# END SOLUTION
print("img1:", img1.shape, img1.dtype)


# %%
figure, axes = plt.subplots(1, 5, figsize=(16, 2.8))
axes[0].imshow(img1, cmap="gray")
axes[0].set_title("img1 (grayscale)")
for axis, (name, kernel) in zip(axes[1:], KERNELS.items()):
    filtered = apply_kernel(img1, kernel)
    # edge responses are signed: show them on a symmetric scale, 0 in the middle
    limit = np.abs(filtered).max() if kernel.sum() == 0 else None
    axis.imshow(filtered, cmap="gray", vmin=-limit if limit else None, vmax=limit)
    axis.set_title(f"{name}: {kernel_labels()[name]}")
for axis in axes:
    axis.axis("off")
plt.show()
plt.close(figure)

# Check: away from the border every border rule agrees with torch's conv2d without padding
# (which is a cross-correlation too).
image = torch.from_numpy(img1.astype(np.float64))[None, None]
for name, kernel in KERNELS.items():
    by_torch = F.conv2d(image, torch.from_numpy(kernel)[None, None])[0, 0].numpy()
    print(f"{name}: apply_kernel == torch conv2d inside the border:", np.allclose(apply_kernel(img1, kernel)[1:-1, 1:-1], by_torch))


# %% [markdown] answer="q2"
# * **kernel1 — box blur (average smoothing).** Every pixel becomes the mean of its $3 \times 3$
#   neighbourhood; the weights sum to 1, so flat regions keep their brightness while noise, fine
#   texture and sharp edges are smoothed out: it keeps the coarse content (low frequencies).
# * **kernel2 — Laplacian (edge detector).** $8 \cdot$ centre $-$ the 8 neighbours $= 9\,($centre
#   $-$ mean of the $3 \times 3$ neighbourhood$)$: a discrete second derivative over all eight
#   directions, with the sign that makes a pixel brighter than its surroundings positive. The
#   weights sum to 0, so it is zero on flat regions and on smooth ramps, and large where the
#   intensity changes abruptly: **edges in every direction, diagonals included**, as a double line
#   (positive on the bright side, negative on the dark side) — the outlines of the square, the disc
#   and the bar. Being a second derivative it also amplifies noise.
# * **kernel3 — Sobel in $y$.** A derivative down the rows ($[-1, 0, 1]^\top$) smoothed along the
#   rows by $[1, 2, 1]$: it responds to changes from one row to the next, i.e. **horizontal edges**
#   (the top and bottom of the square), positive from dark to bright going down, and not to the
#   horizontal ramp.
# * **kernel4 — Sobel in $x$.** Its transpose: a derivative along the columns, so it responds to
#   **vertical edges** (the left and right of the square) and gives a small constant response on the
#   ramp. kernel3 and kernel4 together give the gradient: its magnitude
#   $\sqrt{G_x^2 + G_y^2}$ and direction.
#
# OpenCV's `filter2D` computes a correlation (the kernel is not flipped), which matters for the
# antisymmetric Sobel kernels only (a flip changes their sign), and fills the border by reflection
# (`BORDER_REFLECT_101`). On the 8-bit image with `ddepth=-1` the negative responses of kernels 2–4
# would be clipped to 0, so the image is filtered as floats.


# %% [markdown] heading="q3"
# (a) Describe **Keras Tuner** fully: what it is for and how a search is defined.
# (b) Describe its tuners, say which one you use, and justify the choice.
# (c) On **CIFAR-10**, build a model from convolutional and fully connected layers (pooling and
# dropout layers are allowed) and use Keras Tuner to tune at least the hyperparameters of the table
# below. The table gives **upper limits only**: choose your own ranges within them. Report and
# analyse the results, then improve the best model further with your own knowledge.
#
# | hyperparameter | name in `build_model` | limit |
# |---|---|---|
# | number of conv layers | `conv_layers` | at most 5 |
# | number of dense layers | `dense_layers` | at most 5 |
# | filters of a conv layer | `filters` | at most 256 |
# | neurons of a dense layer | `units` | at most 256 |
# | learning rate | `learning_rate` | at most 0.001 |
# | optimizer | `optimizer` | tuned: your choice of candidates |
#
# Register the six hyperparameters under these names, each with at least two values (a per-layer
# variant may add a suffix: `filters_0`, `filters_1`, …); add any others you like (dropout, kernel
# size, …). The limits hold for every model your space can build: at most 5 conv layers (layers,
# not blocks of layers), at most 5 dense layers before the output layer, at most 256 filters in
# any conv layer and 256 neurons in any hidden dense layer, a learning rate of at most 0.001.
#
# **What the grader uses** (keep these names):
# * the data folder is `os.environ.get("CIFAR10_DIR", "data")`, holding `cifar-10-batches-py/`;
# * `build_model(hp)` — the Keras Tuner hypermodel: registers the hyperparameters on `hp` and
#   returns the compiled model;
# * `search_space()` and `pinned(values)` — given: the space `build_model` registers, as plain
#   data, and a `HyperParameters` fixed to some values (so that `build_model(pinned(values))` builds
#   one model of your space);
# * `model_param_count(hyperparameters)` — the number of parameters (every weight, as
#   `count_params()` counts them) of the model `build_model` builds for a dict of values;
# * `BEST` — the best hyperparameter values your search found, `build_best_model()` — a new
#   compiled model with them, and `model` — that model, **trained**: it takes float32 images
#   `[N, 32, 32, 3]` in $[0, 1]$ (NHWC) and returns class probabilities `[N, 10]`.
#
# The grader checks your space against the table, builds the largest models of your space (one per
# optimizer) and checks their layers, counts the parameters of your best model and of models at
# hidden points of your space from their layers and compares them with `model_param_count`, and
# measures the accuracy of `model` on hidden images.
#
# The grader re-runs the notebook on a CPU with a small version of CIFAR-10 (500 training images):
# there the search is skipped and the best model trains for a few epochs only.


# %% [markdown] lang="fa"
# (الف) **Keras Tuner** را کامل توضیح دهید: به چه کاری می‌آید و یک جستجو چگونه تعریف می‌شود.
#
# (ب) tunerهای آن را شرح دهید، بگویید از کدام استفاده می‌کنید و انتخاب خود را توجیه کنید.
#
# (ج) روی **CIFAR-10** مدلی از لایه‌های کانولوشنی و تمام‌متصل بسازید (لایه‌های pooling و dropout مجازند) و با
# Keras Tuner دست‌کم ابرپارامترهای جدول بالا را تنظیم کنید. جدول فقط **حد بالا** را می‌دهد: بازه‌های خود را درون
# این حدها انتخاب کنید. نتیجه‌ها را گزارش و تحلیل کنید و سپس بهترین مدل را با دانش خود باز هم بهتر کنید.
#
# **کد.** ابرپارامترها را با نام‌های جدول ثبت کنید و `build_model`، `model_param_count`، `BEST`،
# `build_best_model` و `model` را همان‌طور که در بخش **What the grader uses** بالا آمده تعریف کنید. تصحیح‌گر
# نوت‌بوک را روی CPU با نسخهٔ کوچکی از CIFAR-10 (۵۰۰ تصویر آموزشی) اجرا می‌کند: آنجا جستجو انجام نمی‌شود و
# بهترین مدل فقط چند epoch آموزش می‌بیند.


# %%
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


# %%
def build_model(hp):
    """Keras Tuner hypermodel: registers the hyperparameters and returns the compiled CNN."""
    # BEGIN SOLUTION
    # Not reference.hw9.q3_keras_tuner.build_model: that one registers the same space from a table of
    # its module and takes an architecture config; here the space is written out, as students write it.
    conv_layers = hp.Int("conv_layers", 1, 4)  # each: conv 3x3 + 2x2 max pool, 32 -> 16 -> 8 -> 4 -> 2
    filters = hp.Int("filters", 32, 128, step=32)
    dense_layers = hp.Int("dense_layers", 1, 3)
    units = hp.Int("units", 64, 256, step=64)
    dropout = hp.Float("dropout", 0.0, 0.5, step=0.25)  # after each hidden dense layer
    learning_rate = hp.Float("learning_rate", 1e-4, 1e-3, sampling="log")
    optimizer = hp.Choice("optimizer", ["adam", "rmsprop", "sgd"])

    model = keras.Sequential([keras.Input(shape=(32, 32, 3))])
    for _ in range(conv_layers):
        model.add(keras.layers.Conv2D(filters, 3, padding="same", activation="relu"))
        model.add(keras.layers.MaxPooling2D(2))
    model.add(keras.layers.Flatten())
    for _ in range(dense_layers):
        model.add(keras.layers.Dense(units, activation="relu"))
        model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax"))
    step = {"adam": keras.optimizers.Adam, "rmsprop": keras.optimizers.RMSprop, "sgd": keras.optimizers.SGD}[optimizer]
    model.compile(optimizer=step(learning_rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
    # END SOLUTION


def search_space():
    """The space build_model registers, as plain data: {name: {"type": ..., its range or values}}."""
    hp = keras_tuner.HyperParameters()
    build_model(hp)
    keys = {"Int": ("min_value", "max_value", "step"), "Float": ("min_value", "max_value", "step", "sampling"),
            "Choice": ("values",), "Boolean": (), "Fixed": ("value",)}
    space = {}
    for parameter in hp.space:
        kind, config = type(parameter).__name__, parameter.get_config()
        space[parameter.name] = {"type": kind, **{key: config[key] for key in keys.get(kind, ())}}
    return space


def pinned(values):
    """HyperParameters fixed to the given values: build_model then builds exactly that model."""
    hp = keras_tuner.HyperParameters()
    for name, value in values.items():
        hp.Fixed(name, value)
    return hp


def model_param_count(hyperparameters):
    """Parameters of the model build_model builds for these hyperparameter values."""
    # BEGIN SOLUTION
    # Not the reference's closed form (reference.hw9.q3_keras_tuner.param_count): Keras counts the
    # model itself, which holds for any space.
    return build_model(pinned(hyperparameters)).count_params()
    # END SOLUTION


print(search_space())


# %%
def run_search():
    """Search the space with a Keras Tuner tuner; the best trial's hyperparameter values."""
    # BEGIN SOLUTION
    # Not reference.hw9.q3_keras_tuner.run_hyperband, which takes config objects and returns the
    # tuner: the same Hyperband search on the notebook's arrays.
    tuner = keras_tuner.Hyperband(build_model, objective="val_accuracy", max_epochs=10, factor=3, seed=0,
                                  directory="tuner", project_name="hw9_q3", overwrite=True)
    tuner.search(x_train, y_train, validation_data=(x_test, y_test), batch_size=64, verbose=0)
    tuner.results_summary(3)
    best = tuner.get_best_hyperparameters(1)[0].values
    return {name: value for name, value in best.items() if not name.startswith("tuner/")}  # Hyperband's own keys
    # END SOLUTION


# The search trains dozens of networks: run it on the real data (a GPU); the grader's small data skips it.
if len(x_train) >= 10_000:
    BEST = run_search()
else:
    # BEGIN SOLUTION
    # reference.hw9.q3_keras_tuner.BEST_HYPERPARAMETERS, written out (tests/assignments/test_hw9_solution_values.py)
    BEST = {"conv_layers": 2, "filters": 64, "dense_layers": 1, "units": 128, "dropout": 0.25,
            "learning_rate": 1e-3, "optimizer": "adam"}
    # END SOLUTION
    print(f"search skipped on {len(x_train)} training images; training {BEST}")


def build_best_model():
    """A new compiled model with the best trial's hyperparameters."""
    # BEGIN SOLUTION
    # Not the reference's, which pins its own fixed values: this one builds the best trial found here.
    return build_model(pinned(BEST))
    # END SOLUTION


# %%
# The small grader data (500 images) is learnt in a few epochs (seconds on one CPU core); CIFAR-10
# itself takes longer (50 epochs on a GPU).
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


# %% [markdown] answer="q3"
# *(a) Keras Tuner* automates the search for good hyperparameters of a Keras model, a slow and
# tedious job by hand. The model is written as a function of a `HyperParameters` object `hp`
# (a *hypermodel*), whose methods declare the space while they return a value:
# `hp.Int(name, min_value, max_value, step, sampling)`, `hp.Float(name, min_value, max_value,
# step, sampling)` (`sampling="log"` for scales such as the learning rate), `hp.Choice(name,
# values)`, `hp.Boolean(name)` and `hp.Fixed(name, value)`, plus conditional scopes for
# hyperparameters that exist only for some values of another. A **tuner** then repeatedly asks its
# *oracle* for a configuration, builds and trains the model with `tuner.search(...)` (the same
# arguments as `model.fit`), records the objective (here `val_accuracy`) as a *trial*, and finally
# reports the best trials (`results_summary`, `get_best_hyperparameters`, `get_best_models`).
# A `HyperModel` subclass can also tune the training itself (batch size, epochs).
#
# *(b) Tuners.* `RandomSearch` samples configurations at random (simple, a good baseline, no
# learning from earlier trials); `GridSearch` tries every combination (exponential in the number of
# hyperparameters); **`Hyperband`** trains many random configurations for a few epochs and promotes
# the best $1/\text{factor}$ of each round to more epochs (successive halving, in several brackets),
# so most of the budget goes to promising configurations; `BayesianOptimization` fits a Gaussian
# process to the trials so far and picks the next configuration where improvement is likely (good
# for expensive trials and few, continuous hyperparameters); `SklearnTuner` tunes scikit-learn
# models. With a limited GPU budget and a space of seven hyperparameters Hyperband is the natural
# choice: far cheaper than a grid, a better use of the budget than random search, and a bad
# configuration is dropped after a couple of epochs.
#
# *(c) Space.* Within the table's limits: 1–4 conv layers ($3 \times 3$, each followed by a
# $2 \times 2$ max pool), 32–128 filters (step 32), 1–3 hidden dense layers of 64–256 neurons
# (step 64), a dropout of 0, 0.25 or 0.5 after each, a learning rate between $10^{-4}$ and
# $10^{-3}$ (log scale) and Adam, RMSprop or SGD. The largest model has 711,818 parameters.
# *Results and analysis:* report the best trial, its parameter count, its curves and its training
# and test accuracy; Adam and RMSprop beat plain SGD at these learning rates, which are small for
# SGD. *Improvements:* batch normalisation after the convolutions, two convolutions per block
# before each pool (more depth at the same resolution), data augmentation (flips, shifts) against
# overfitting, a learning-rate schedule, and longer training with early stopping.


# %% [markdown] heading="q4"
# This question is a **bonus**: its points come on top of the homework's total.
#
# Count the trainable parameters of the network below, layer by layer, with the derivation
# (input $28 \times 28 \times 1$; no padding, stride 1):
#
# `Conv2D(20, 7×7)` → `MaxPooling2D(2)` → `Conv2D(10, 5×5)` → `LocallyConnected2D(2, 3×3)` →
# `Flatten` → `Dense(10)`.
#
# A locally connected layer slides its window like a convolution but does **not share** its
# weights: every output position has its own filters and biases.
#
# **Code.**
# * `param_table(input_shape=(28, 28, 1))` — your derivation for an input of shape `(H, W, C)`:
#   a list of six rows, one per layer in order, each a dict
#   `{"layer": a name, "output_shape": (h, w, c) or (units,), "params": the layer's parameters}`.
# * `build_lc_model(input_shape=(28, 28, 1))` — the network in **tf-keras** (`tf_keras.Sequential`,
#   ReLU activations, softmax output), and `lc_model = build_lc_model()`.
#
# The grader checks your table for the question's input and for hidden input shapes, and the
# per-layer parameter counts of your tf-keras model.


# %% [markdown] lang="fa"
# این سؤال **امتیازی** است: امتیاز آن به مجموع امتیاز تمرین اضافه می‌شود.
#
# تعداد پارامترهای قابل آموزش شبکهٔ بالا را لایه به لایه و همراه با محاسبه بشمارید (ورودی $28 \times 28 \times 1$،
# بدون padding و با گام ۱). لایهٔ locally connected پنجرهٔ خود را مانند کانولوشن می‌لغزاند اما وزن‌هایش **مشترک
# نیست**: هر مکان خروجی فیلترها و بایاس‌های خودش را دارد.
#
# **کد.** `param_table` و `build_lc_model` (و `lc_model = build_lc_model()`) را همان‌طور که در بخش **Code** بالا
# آمده پیاده‌سازی کنید.


# %%
def param_table(input_shape=(28, 28, 1)):
    """[{"layer", "output_shape", "params"}] of the six layers, in closed form."""
    # BEGIN SOLUTION
    # Not reference.hw9.q4_param_count.param_table: that one returns typed rows with Keras' layer
    # names, from helpers of its module; the question asks for dicts.
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
    # SOLUTION FROM reference.hw9.q4_param_count.build_tf_keras_model


table = param_table()
for row in table:
    print(f"{row['layer']:<28}{str(row['output_shape']):<16}{row['params']:>8,}")
print(f"{'total':<44}{sum(row['params'] for row in table):>8,}")


# %%
# Check: the tf-keras model's summary, layer by layer, against the table.
lc_model = build_lc_model()
lc_model.summary()
print("per-layer counts agree:", [row["params"] for row in table] == [layer.count_params() for layer in lc_model.layers])
print("output shapes agree:", [row["output_shape"] for row in table] == [layer.output_shape[1:] for layer in lc_model.layers])


# %% [markdown] answer="q4"
# * `Conv2D(20, 7×7)`: 20 filters of $7 \cdot 7 \cdot 1$ weights and a bias each:
#   $20 (7 \cdot 7 \cdot 1 + 1) = 1{,}000$; output $22 \times 22 \times 20$ ($28 - 7 + 1 = 22$).
# * `MaxPooling2D(2)`: no parameters; output $11 \times 11 \times 20$.
# * `Conv2D(10, 5×5)`: the filters span the 20 input channels: $10 (5 \cdot 5 \cdot 20 + 1) = 5{,}010$;
#   output $7 \times 7 \times 10$ ($11 - 5 + 1 = 7$).
# * `LocallyConnected2D(2, 3×3)`: output $5 \times 5 \times 2$ ($7 - 3 + 1 = 5$). Like a convolution,
#   each output unit sees a $3 \times 3 \times 10$ window, but the weights are **not shared**: each of
#   the $5 \cdot 5 = 25$ positions has its own 2 filters and 2 biases:
#   $25 \cdot 2 \cdot (3 \cdot 3 \cdot 10 + 1) = 2 (25 \cdot 90 + 25) = 4{,}550$.
# * `Flatten`: no parameters; $5 \cdot 5 \cdot 2 = 50$ values.
# * `Dense(10)`: $10 \cdot 50$ weights $+ 10$ biases $= 510$.
#
# **Total: $1{,}000 + 5{,}010 + 4{,}550 + 510 = 11{,}070$**, as `model.summary()` confirms.
