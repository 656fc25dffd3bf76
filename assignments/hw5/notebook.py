# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] heading="title"
# Five questions: batch normalisation (q1) and dropout (q2) from scratch, the two regularisers in a
# small CNN trained on MNIST (q3), a look inside VGG16 (q4) and the DeconvNet / transposed
# convolution (q5). Everything is PyTorch or NumPy.
#
# **How this notebook is graded.** The grader runs the whole notebook from top to bottom in a
# fresh kernel (offline, CPU, a time limit per cell), then calls the functions you define here
# *by name* on hidden inputs and compares the results with its own reference. So:
# * keep every function's **name and signature** as given, and return what its docstring says
#   (NumPy arrays, numbers, lists, tuples or dicts — plain data);
# * replace each `raise NotImplementedError` with your code (helper functions are welcome);
# * written answers (explanations, comparisons) go in the cells marked **Your answer**;
#   a TA grades them by hand.
#
# To run the public checks on your own machine, see the README beside this notebook
# (`grade check <homework folder> <your notebook>`).


# %% [markdown] lang="fa"
# پنج سؤال: پیاده‌سازی نرمال‌سازی دسته‌ای (سؤال ۱) و Dropout (سؤال ۲) از پایه، به‌کارگیری این دو منظم‌ساز در یک
# شبکهٔ کانولوشنی کوچک که روی MNIST آموزش می‌بیند (سؤال ۳)، نگاهی به درون VGG16 (سؤال ۴) و شبکهٔ DeconvNet و
# کانولوشن ترانهاده (سؤال ۵). همهٔ کدها با PyTorch یا NumPy نوشته می‌شوند.
#
# **این نوت‌بوک چگونه تصحیح می‌شود.** تصحیح‌گر کل نوت‌بوک را از ابتدا تا انتها در یک کرنل تازه اجرا می‌کند
# (بدون اینترنت، روی CPU، با محدودیت زمان برای هر سلول) و سپس توابعی را که اینجا تعریف می‌کنید *با نامشان*
# روی ورودی‌های پنهان صدا می‌زند و نتیجه را با پاسخ مرجع خود مقایسه می‌کند. پس:
# * **نام و امضای** هر تابع را همان‌طور که داده شده نگه دارید و همان چیزی را برگردانید که docstring آن می‌گوید
#   (آرایهٔ NumPy، عدد، فهرست، تاپل یا دیکشنری: دادهٔ ساده)؛
# * به جای هر `raise NotImplementedError` کد خود را بنویسید (تعریف توابع کمکی آزاد است)؛
# * پاسخ‌های نوشتاری (توضیح‌ها و مقایسه‌ها) را در سلول‌های **Your answer** بنویسید؛ دستیار آموزشی آن‌ها را تصحیح
#   می‌کند.
#
# برای اجرای آزمون‌های عمومی روی رایانهٔ خودتان، راهنمای README کنار این نوت‌بوک را ببینید.


# %%
import gzip
import os
import struct
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")


# %% [markdown] heading="q1"
# 1. What are the effects of adding a **batch normalisation** layer to a network?
# 2. How many parameters does it add to the network (per layer), and which of them are trained?
# 3. Implement the forward pass of the layer **after a convolutional layer** and **after a fully
#    connected layer**, in training mode and in test mode.
#
# For a mini-batch, batch norm standardises every feature with the statistics of the batch and
# then applies a learned scale $\gamma$ and shift $\beta$:
#
# $$\mu = \tfrac1m \textstyle\sum x, \qquad \sigma^2 = \tfrac1m \sum (x - \mu)^2, \qquad
# \hat x = \dfrac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}, \qquad y = \gamma \hat x + \beta .$$
#
# After a **dense** layer, $x$ is `[N, F]` and there is one $(\mu, \sigma^2, \gamma, \beta)$ per
# feature, over the $m = N$ samples. After a **conv** layer, $x$ is `[N, C, H, W]` and there is
# one per channel, over the $m = N H W$ values of that channel.
#
# **Code.** With NumPy arrays, in PyTorch's conventions:
# * `batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5)`
#   — `x` is `[N, F]` or `[N, C, H, W]`; `gamma`, `beta`, `running_mean`, `running_var` have
#   shape `[F]` / `[C]`. Return the tuple `(y, new_running_mean, new_running_var)`.
#   * training mode: normalise with the batch mean and the **biased** batch variance (÷ m), and
#     update `running ← (1 − momentum) · running + momentum · statistic`, where the running
#     variance receives the **unbiased** batch variance (÷ (m − 1));
#   * test mode (`training=False`): normalise with `running_mean` and `running_var`, and return
#     them unchanged.
# * `batchnorm_parameter_count(num_features)` — a dict `{"trainable": …, "buffers": …}`: the
#   parameters one batch-norm layer over `num_features` features/channels trains by gradient
#   descent, and the running statistics it keeps (updated by averaging, not trained).
#
# The grader compares both with its reference on hidden tensors (dense and conv layouts, both modes).


# %% [markdown] lang="fa"
# ۱. افزودن یک لایهٔ **نرمال‌سازی دسته‌ای** (batch normalization) به شبکه چه اثراتی دارد؟
#
# ۲. این لایه (در هر لایه) چند پارامتر به شبکه می‌افزاید و کدام‌یک از آن‌ها آموزش داده می‌شوند؟
#
# ۳. گذر رو به جلوی این لایه را **پس از یک لایهٔ کانولوشنی** و **پس از یک لایهٔ تمام‌متصل**، در حالت آموزش و در
# حالت تست پیاده‌سازی کنید.
#
# نرمال‌سازی دسته‌ای هر ویژگی را با آماره‌های دسته استاندارد می‌کند و سپس مقیاس $\gamma$ و جابه‌جایی $\beta$
# آموخته‌شده را اعمال می‌کند (فرمول‌های بالا). پس از لایهٔ **تمام‌متصل**، $x$ ابعاد `[N, F]` دارد و برای هر ویژگی
# یک $(\mu, \sigma^2, \gamma, \beta)$ روی $m = N$ نمونه هست؛ پس از لایهٔ **کانولوشنی**، $x$ ابعاد `[N, C, H, W]`
# دارد و برای هر کانال یکی، روی $m = NHW$ مقدار آن کانال.
#
# **کد.** توابع `batchnorm_forward` و `batchnorm_parameter_count` را همان‌طور که در بخش **Code** بالا آمده با
# آرایه‌های NumPy پیاده‌سازی کنید. در حالت آموزش، نرمال‌سازی با میانگین و واریانس **اریب** دسته (تقسیم بر $m$)
# انجام می‌شود و واریانس متحرک، واریانس **نااریب** دسته (تقسیم بر $m - 1$) را می‌گیرد؛ در حالت تست، نرمال‌سازی
# با آماره‌های متحرک انجام می‌شود و این آماره‌ها بدون تغییر برگردانده می‌شوند.


# %%
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    """Batch norm of x ([N, F] after a dense layer, [N, C, H, W] after a conv layer).

    Returns (y, new_running_mean, new_running_var); in test mode the running statistics come
    back unchanged.
    """
    # BEGIN SOLUTION
    # Not reference.hw5.q1_batchnorm.batchnorm_forward: that one takes and returns a BatchNormState
    # (and a cache for its backward pass); students get plain arrays in and a tuple out.
    x = np.asarray(x, dtype=float)
    axes = (0, *range(2, x.ndim))  # every axis but the feature/channel axis 1
    per_feature = (1, -1) + (1,) * (x.ndim - 2)  # a [C] vector broadcast along axis 1
    running_mean = np.asarray(running_mean, dtype=float)
    running_var = np.asarray(running_var, dtype=float)
    if training:
        mean, var = x.mean(axis=axes), x.var(axis=axes)  # biased: the spread of the values normalised
        m = x.size // x.shape[1]  # values behind each feature's statistics
        running_mean = (1 - momentum) * running_mean + momentum * mean
        # the running estimate is of the population variance: unbiased, m / (m - 1)
        running_var = (1 - momentum) * running_var + momentum * var * m / (m - 1)
    else:
        mean, var = running_mean, running_var  # a test prediction must not depend on its batch
    x_hat = (x - mean.reshape(per_feature)) / np.sqrt(var.reshape(per_feature) + eps)
    y = np.asarray(gamma, dtype=float).reshape(per_feature) * x_hat + np.asarray(beta, dtype=float).reshape(per_feature)
    return y, running_mean, running_var
    # END SOLUTION


def batchnorm_parameter_count(num_features):
    """{"trainable": γ and β, "buffers": running mean and variance} of one batch-norm layer."""
    # BEGIN SOLUTION
    # Not reference.hw5.q1_batchnorm.batchnorm_param_count: that one returns a dataclass, which
    # cannot leave the notebook's kernel; the question asks for a dict.
    return {"trainable": 2 * num_features, "buffers": 2 * num_features}
    # END SOLUTION


# %%
# Check against torch.nn.BatchNorm1d / BatchNorm2d: outputs and running statistics, both modes.
rng = np.random.default_rng(0)
for layer, shape in ((nn.BatchNorm1d(4, momentum=0.2), (6, 4)), (nn.BatchNorm2d(3), (5, 3, 4, 4))):
    x = rng.standard_normal(shape) * 2 + 1
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(rng.uniform(0.5, 2, shape[1])))
        layer.bias.copy_(torch.from_numpy(rng.standard_normal(shape[1])))
    gamma, beta = layer.weight.detach().numpy().astype(float), layer.bias.detach().numpy().astype(float)
    before = (layer.running_mean.numpy().astype(float), layer.running_var.numpy().astype(float))
    y, mean, var = batchnorm_forward(x, gamma, beta, *before, training=True, momentum=layer.momentum)
    by_torch = layer.train()(torch.tensor(x, dtype=torch.float32)).detach().numpy()
    print(type(layer).__name__, "train: output", np.allclose(y, by_torch, atol=1e-4), "| running stats",
          np.allclose(mean, layer.running_mean.numpy(), atol=1e-5), np.allclose(var, layer.running_var.numpy(), atol=1e-5))
    y, *_ = batchnorm_forward(x, gamma, beta, mean, var, training=False)
    by_torch = layer.eval()(torch.tensor(x, dtype=torch.float32)).detach().numpy()
    print(type(layer).__name__, "test: output", np.allclose(y, by_torch, atol=1e-4))
print("parameters of BatchNorm2d(64):", batchnorm_parameter_count(64),
      "| torch:", sum(p.numel() for p in nn.BatchNorm2d(64).parameters()), "trained,",
      sum(b.numel() for name, b in nn.BatchNorm2d(64).named_buffers() if name.startswith("running")), "running")


# %% [markdown] answer="q1"
# *Effects.* Each layer's inputs keep a stable distribution (mean 0, variance 1 before $\gamma, \beta$)
# while the earlier layers change (less *internal covariate shift*), so:
# * training is faster and tolerates **higher learning rates** and poorer initialisations;
# * gradients neither vanish nor explode as easily, and saturating activations (sigmoid, tanh)
#   stay in their useful range; deeper networks become trainable;
# * the batch statistics add noise to every example's output, a mild **regulariser** (less overfitting,
#   sometimes less need for dropout);
# * $\gamma$ and $\beta$ let the network undo the normalisation where that helps, so no
#   representational power is lost;
# * at test time the running averages replace the batch statistics, so a prediction does not
#   depend on the other samples of its batch (and works for a batch of one).
#
# *Parameters.* Per layer, **two trained parameters per feature** (dense) or **per channel** (conv):
# $\gamma$ and $\beta$, i.e. $2F$ or $2C$. It also keeps the running mean and variance ($2C$ more
# numbers), which are updated by averaging, not by gradient descent. The bias of the layer before a
# batch norm becomes redundant ($\beta$ plays its role) and is usually dropped.


# %% [markdown] heading="q2"
# 1. What are the effects of adding **dropout** to a layer?
# 2. How does the layer behave differently during training and at test time?
# 3. Implement the forward pass of the layer.
#
# Let $p$ be the **keep probability**: during training each unit is kept with probability $p$
# (an independent Bernoulli($p$) mask $m$) and dropped (set to 0) otherwise. At test time every
# unit is present, so the layer has to make a unit's test output equal to its *expected* training
# output. There are two conventions:
# * **classic** (Srivastava et al.): train $y = m \odot x$, test $y = p\,x$;
# * **inverted** (PyTorch, Keras): train $y = m \odot x / p$, test $y = x$.
#
# **Code.** `dropout_forward(x, keep_prob, training, inverted=True, seed=None)` on a NumPy array
# `x` of any shape returns the layer's output (same shape). `seed` is an integer that fixes the
# mask (the same seed must give the same mask; draw it with `np.random.default_rng(seed)`), or
# `None` for a fresh random mask. The grader checks test mode exactly, and in training mode the
# drop rate and the expectation on large hidden inputs (within a statistical bound), the value of
# every kept unit, and that a seed reproduces its mask.


# %% [markdown] lang="fa"
# ۱. افزودن **Dropout** به یک لایه چه اثراتی دارد؟
#
# ۲. رفتار این لایه در زمان آموزش و در زمان تست چه تفاوتی دارد؟
#
# ۳. گذر رو به جلوی این لایه را پیاده‌سازی کنید.
#
# فرض کنید $p$ **احتمال نگه‌داشتن** باشد: در آموزش هر نورون با احتمال $p$ نگه داشته می‌شود (یک ماسک برنولی
# مستقل $m$ با احتمال $p$) و در غیر این صورت حذف (صفر) می‌شود. در زمان تست همهٔ نورون‌ها حاضرند، پس لایه باید
# خروجی تست هر نورون را برابر *امید* خروجی آن در آموزش کند. دو قرارداد وجود دارد: **کلاسیک** (Srivastava و
# همکاران): آموزش $y = m \odot x$ و تست $y = p\,x$؛ **معکوس** (PyTorch و Keras): آموزش $y = m \odot x / p$ و
# تست $y = x$.
#
# **کد.** تابع `dropout_forward` را همان‌طور که در بخش **Code** بالا آمده پیاده‌سازی کنید؛ `seed` ماسک را تعیین
# می‌کند (ماسک را با `np.random.default_rng(seed)` بسازید).


# %%
def dropout_forward(x, keep_prob, training, inverted=True, seed=None):
    """Dropout with keep probability keep_prob; classic (inverted=False) or inverted convention."""
    # BEGIN SOLUTION
    # Not reference.hw5.q2_dropout.dropout_classic / dropout_inverted: the question asks for one
    # function with both conventions and a seed (the reference's take a generator).
    x = np.asarray(x, dtype=float)
    if not 0 < keep_prob <= 1:
        raise ValueError(f"keep_prob must be in (0, 1], got {keep_prob}")
    if not training:
        # classic: the test output is the training-time expectation p·x; inverted: x itself
        return x if inverted else keep_prob * x
    mask = np.random.default_rng(seed).random(x.shape) < keep_prob  # True: the unit is kept
    # inverted dropout scales the survivors at training time, so E[y] = x already
    return x * mask / keep_prob if inverted else x * mask
    # END SOLUTION


# %%
# Check: test-mode scaling, drop rate and expectation on a large input, against torch's F.dropout
# (PyTorch's p is the *drop* probability: 1 - keep_prob).
x = np.ones(200_000)
for inverted in (False, True):
    y_train = dropout_forward(x, 0.7, training=True, inverted=inverted, seed=1)
    y_test = dropout_forward(x, 0.7, training=False, inverted=inverted)
    print(f"inverted={inverted}: drop rate {np.mean(y_train == 0):.4f} (expect 0.3000), "
          f"train mean {y_train.mean():.4f} vs test output {y_test.mean():.4f}")
by_torch = F.dropout(torch.ones(200_000), p=0.3, training=True)
print(f"torch: drop rate {(by_torch == 0).float().mean():.4f}, train mean {by_torch.mean():.4f}")
print("same seed, same mask:", np.array_equal(dropout_forward(x, 0.5, True, seed=3), dropout_forward(x, 0.5, True, seed=3)))


# %% [markdown] answer="q2"
# *Effects.* Dropout is a **regulariser**: it reduces overfitting. A unit cannot rely on particular
# other units being present, so **co-adaptation** of features is broken and each feature must be
# useful on its own; training becomes noisier (slower convergence, more epochs); hidden activations
# become sparser. Training with dropout on a layer of $H$ units trains an ensemble of up to $2^H$
# thinned networks that **share their weights**; the test-time network approximates the average of
# that ensemble.
#
# *Training vs test.* During training every unit is kept with probability $p$ (a fresh Bernoulli
# mask for every example), so the network is a random thinned sub-network. At test time all units
# are present and nothing is random; to keep each unit's output equal to its expected training
# output, the classic method multiplies the outgoing weights (or outputs) by $p$ at test time
# ($E[m x] = p x$); inverted dropout instead divides the kept outputs by $p$ during training, so the
# test-time network is used unchanged.


# %% [markdown] heading="q3"
# Train the same convolutional network on **MNIST** (in Google Colab, on a GPU) four times:
# without any regulariser, with batch normalisation only, with dropout only, and with both.
# 1. Report the steps and the results of the runs (loss and accuracy curves, final accuracies).
# 2. Compare the runs with and without each regulariser.
# 3. Report and discuss the result with both regularisers.
#
# **What the grader uses** (keep these names):
# * the data folder is `os.environ.get("MNIST_DIR", "MNIST")`, holding MNIST's four IDX files
#   (`train-images-idx3-ubyte`, …, plain or `.gz`; the loader below is given);
# * `build_model(batchnorm, dropout)` returns a new, untrained network. All four variants are the
#   **same network** except for the regularisers: `batchnorm=True` inserts `nn.BatchNorm2d` /
#   `nn.BatchNorm1d` layers (with their $\gamma, \beta$), `dropout=True` inserts `nn.Dropout`
#   layers (use the modules, not the functional form); nothing else changes (dropping the bias of
#   a layer that a batch norm follows is allowed). The grader checks from your models that each
#   batch norm over $C$ channels adds exactly $2C$ parameters and that dropout adds none;
# * `models` is a dict with the keys `"none"`, `"batchnorm"`, `"dropout"`, `"batchnorm+dropout"`
#   holding the four **trained** networks; `best_model` is the one of them with the best
#   validation accuracy. Every one takes float32 images `[N, 1, 28, 28]` in $[0, 1]$ (NCHW, no
#   other preprocessing outside the model) and returns 10 class scores. The grader measures the
#   accuracy of every model on the visible test images and of `best_model` on hidden images.
#
# The grader re-runs the notebook on a CPU with a small version of MNIST (500 training digits),
# so the cell below picks a short training there.


# %% [markdown] lang="fa"
# یک شبکهٔ کانولوشنی یکسان را روی **MNIST** (در Google Colab، روی GPU) چهار بار آموزش دهید: بدون منظم‌ساز،
# فقط با نرمال‌سازی دسته‌ای، فقط با Dropout، و با هر دو.
#
# ۱. مراحل اجرا و نتایج آن‌ها را گزارش کنید (نمودارهای خطا و دقت، دقت‌های نهایی).
#
# ۲. اجراهای با و بدون هر منظم‌ساز را با هم مقایسه کنید.
#
# ۳. نتیجهٔ استفادهٔ هم‌زمان از هر دو منظم‌ساز را گزارش و تحلیل کنید.
#
# **آنچه تصحیح‌گر به کار می‌برد** (این نام‌ها را نگه دارید؛ جزئیات در بخش بالا): پوشهٔ داده
# `os.environ.get("MNIST_DIR", "MNIST")`؛ تابع `build_model(batchnorm, dropout)` که شبکه‌ای تازه و آموزش‌ندیده
# برمی‌گرداند و چهار حالت آن جز در منظم‌سازها (لایه‌های `nn.BatchNorm2d` / `nn.BatchNorm1d` و `nn.Dropout`)
# یکسان‌اند؛ دیکشنری `models` با کلیدهای `"none"`، `"batchnorm"`، `"dropout"` و `"batchnorm+dropout"` که چهار
# شبکهٔ **آموزش‌دیده** را نگه می‌دارد؛ و `best_model`، شبکه‌ای از میان آن‌ها با بهترین دقت اعتبارسنجی. تصحیح‌گر
# نوت‌بوک را روی CPU و با نسخهٔ کوچکی از MNIST (۵۰۰ رقم آموزشی) دوباره اجرا می‌کند.


# %%
MNIST_DIR = os.environ.get("MNIST_DIR", "MNIST")


def read_idx(path):
    """An IDX file (plain or .gz) as a uint8 array of the shape in its header."""
    opener, path = (open, path) if os.path.exists(path) else (gzip.open, path + ".gz")
    with opener(path, "rb") as file:
        _, _, _, n_dims = file.read(4)  # magic: 0, 0, type (8 = uint8), number of dimensions
        shape = struct.unpack(f">{n_dims}i", file.read(4 * n_dims))
        return np.frombuffer(file.read(), dtype=np.uint8).reshape(shape)


def to_nchw(images):
    """uint8 [N, H, W] (grey) or [N, H, W, 3] -> float32 tensor [N, C, H, W] in [0, 1]."""
    images = images[..., None] if images.ndim == 3 else images
    return torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2))).float() / 255.0


x_train = read_idx(os.path.join(MNIST_DIR, "train-images-idx3-ubyte"))
y_train = read_idx(os.path.join(MNIST_DIR, "train-labels-idx1-ubyte")).astype(np.int64)
x_test = read_idx(os.path.join(MNIST_DIR, "t10k-images-idx3-ubyte"))
y_test = read_idx(os.path.join(MNIST_DIR, "t10k-labels-idx1-ubyte")).astype(np.int64)
print(f"train {x_train.shape}, test {x_test.shape}")


# %%
@dataclass(frozen=True)
class NetConfig:
    conv_widths: tuple = (16, 32)  # one conv 3x3 -> [BN] -> ReLU -> max-pool 2 per entry (28 -> 14 -> 7)
    hidden_units: int = 64  # the dense layer dropout acts on
    keep_prob: float = 0.5  # dropout keep probability p; torch's nn.Dropout takes the drop rate 1 - p


NET = NetConfig()


def build_model(batchnorm, dropout, config=NET):
    """conv blocks -> flatten -> dense [-> BN] -> ReLU [-> dropout] -> dense(10)."""
    # BEGIN SOLUTION
    # Not reference.hw5.q3_regularisers.make_model: the same layers, but built from this notebook's
    # smaller NetConfig (16/32 channels, 64 units: the grader trains it on a CPU) and returned as a
    # plain nn.Sequential on DEVICE.
    layers, channels, side = [], 1, 28  # grey 28x28 digits
    for width in config.conv_widths:
        # a batch norm subtracts the mean straight away: the conv's bias would be a dead parameter
        layers.append(nn.Conv2d(channels, width, 3, padding=1, bias=not batchnorm))
        if batchnorm:
            layers.append(nn.BatchNorm2d(width))  # per channel, over N·H·W
        layers += [nn.ReLU(), nn.MaxPool2d(2)]
        channels, side = width, side // 2
    layers += [nn.Flatten(), nn.Linear(channels * side * side, config.hidden_units, bias=not batchnorm)]
    if batchnorm:
        layers.append(nn.BatchNorm1d(config.hidden_units))  # per unit, over N
    layers.append(nn.ReLU())
    if dropout:
        layers.append(nn.Dropout(p=1 - config.keep_prob))
    layers.append(nn.Linear(config.hidden_units, 10))
    return nn.Sequential(*layers).to(DEVICE)
    # END SOLUTION


# %%
@dataclass(frozen=True)
class TrainConfig:
    epochs: int
    batch_size: int = 32  # images per Adam step
    learning_rate: float = 1e-3  # Adam
    seed: int = 0  # the same initial weights and batch order for every variant: a fair comparison


@torch.no_grad()
def accuracy(model, images, labels, batch_size=256):
    """Test-mode accuracy (batch norm uses its running statistics, dropout is off)."""
    model.eval()
    x, y = to_nchw(images), torch.as_tensor(labels)
    correct = sum((model(x[s : s + batch_size].to(DEVICE)).argmax(dim=1).cpu() == y[s : s + batch_size]).sum().item()
                  for s in range(0, len(x), batch_size))
    return correct / len(x)


def train(model, config):
    """Adam on cross-entropy over (x_train, y_train); per-epoch loss and accuracies."""
    # BEGIN SOLUTION
    # Not reference.hw5.q3_regularisers.train_classifier: the same loop (Adam on cross-entropy, one
    # seed) on the notebook's own data, TrainConfig and accuracy(), returning the dict the plots read.
    torch.manual_seed(config.seed)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    x, y = to_nchw(x_train), torch.as_tensor(y_train)
    history = {"loss": [], "train_accuracy": [], "val_accuracy": []}
    for epoch in range(config.epochs):
        model.train()
        losses = []
        for index in torch.randperm(len(x)).split(config.batch_size):
            if len(index) < 2:
                continue  # batch norm cannot take the statistics of a single sample
            loss = F.cross_entropy(model(x[index].to(DEVICE)), y[index].to(DEVICE))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            losses.append(loss.item())
        history["loss"].append(float(np.mean(losses)))
        history["train_accuracy"].append(accuracy(model, x_train, y_train))
        history["val_accuracy"].append(accuracy(model, x_test, y_test))
    return history
    # END SOLUTION


# The small grader data (500 images) is learnt in 5 epochs (a few seconds per variant on one CPU
# core); the real 50,000 images take 15 epochs on a GPU.
EPOCHS = 5 if len(x_train) < 5000 else 15


# %%
VARIANTS = {"none": (False, False), "batchnorm": (True, False), "dropout": (False, True), "batchnorm+dropout": (True, True)}
models, histories = {}, {}
for name, (batchnorm, dropout) in VARIANTS.items():
    torch.manual_seed(0)
    models[name] = build_model(batchnorm, dropout)
    histories[name] = train(models[name], TrainConfig(epochs=EPOCHS))
    print(f"{name:>18}: {sum(p.numel() for p in models[name].parameters()):,} parameters, "
          f"train accuracy {histories[name]['train_accuracy'][-1]:.3f}, validation {histories[name]['val_accuracy'][-1]:.3f}")

best_name = max(models, key=lambda name: histories[name]["val_accuracy"][-1])
best_model = models[best_name]
print("best:", best_name)

figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
for name, history in histories.items():
    left.plot(history["loss"], label=name)
    right.plot(history["val_accuracy"], label=name)
left.set(xlabel="epoch", ylabel="training loss")
right.set(xlabel="epoch", ylabel="validation accuracy")
left.legend()
plt.show()
plt.close(figure)


# %% [markdown] answer="q3"
# *Steps.* MNIST is read from its IDX files and scaled to $[0, 1]$; the same small CNN
# (two conv blocks 16/32, a dense layer of 64 units) is built four times with the same seed, so
# the only difference is the regulariser; each is trained with Adam (learning rate $10^{-3}$,
# batches of 32) and evaluated in test mode after every epoch.
#
# *Comparison.* **Batch norm** trains markedly faster: its loss falls sooner and its validation
# accuracy is higher after the same number of epochs (on the grader's small data: about 0.9 vs
# 0.6 after 5 epochs), since every layer sees standardised inputs. **Dropout alone** slows training
# down (the network is noisier) and after few epochs is *behind* the plain network; its benefit
# appears with long training, when the plain network overfits (training accuracy near 1, validation
# accuracy stalling or falling) and dropout keeps the train–validation gap small.
#
# *Both.* Batch norm supplies the fast, stable optimisation and dropout the regularisation of the
# dense layer, so the combination reaches the best (or near best) validation accuracy with the
# smallest gap between training and validation accuracy; batch norm's own batch noise already
# regularises, so the extra gain of dropout on top is smaller than alone.


# %% [markdown] heading="q4"
# 1. Describe the VGG network and the architecture of **VGG16**: its layers, each layer's output
#    shape and number of parameters (in total about 138 million).
# 2. Show the filters of every layer and compare the filters of the first and of the last layer.
# 3. Feed new images to the network and analyse the feature maps of **layer 3** and **layer 13**.
#    "Layer 3 and 13" can be read two ways; either is accepted, used the same way for both layers
#    (say which you use):
#    * the 3rd and 13th **conv** layers, counted from 1: `block2_conv1` and `block5_conv3`;
#    * Keras' `model.layers[3]` and `model.layers[13]` of `VGG16()` (`layers[0]` is the input
#      layer): `block1_pool` and `block4_conv3`.
#
# **Code.**
# * `vgg16_table(input_hw=(224, 224), num_classes=1000)` — the rows of Keras'
#   `VGG16(weights=None, input_shape=(*input_hw, 3), classes=num_classes).summary()` after the
#   input layer, as a list of `[name, output_shape, parameters]`: Keras layer names
#   (`block1_conv1`, …, `block1_pool`, …, `flatten`, `fc1`, `fc2`, `predictions`), output shapes
#   per image in Keras' layout (`(H, W, C)`, or `(units,)` after flatten), and the layer's
#   parameters (weights and biases). 2×2 max pooling floors odd sizes.
# * `vgg` — torchvision's VGG16 (`torchvision.models.vgg16`; ImageNet weights where they can be
#   downloaded, otherwise `weights=None`: the grader has no network).
# * `feature_map_shape(layer, input_hw)` — for `layer` 3 or 13, the shape `(C, H, W)` of the
#   output of that layer of `vgg` (in your reading) for one input image of size `input_hw = (H, W)`.
#
# The grader compares your table with its reference for hidden input sizes and class counts, counts
# the parameters of `vgg` (138,357,544), and checks that the feature-map shapes of layers 3 and 13
# follow one of the two readings for hidden input sizes.


# %% [markdown] lang="fa"
# ۱. شبکهٔ VGG و معماری **VGG16** را توضیح دهید: لایه‌ها، ابعاد خروجی و تعداد پارامترهای هر لایه (در مجموع حدود
# ۱۳۸ میلیون).
#
# ۲. فیلترهای هر لایه را نمایش دهید و فیلترهای لایهٔ اول و لایهٔ آخر را با هم مقایسه کنید.
#
# ۳. تصاویر جدیدی به شبکه بدهید و نقشه‌های ویژگی **لایهٔ ۳** و **لایهٔ ۱۳** را تحلیل کنید. «لایهٔ ۳ و ۱۳» را
# می‌توان به دو گونه خواند و هر دو پذیرفته است، به شرط آنکه برای هر دو لایه یکسان به کار رود (بگویید کدام را به
# کار برده‌اید): لایه‌های کانولوشنی سوم و سیزدهم (`block2_conv1` و `block5_conv3`)، یا `model.layers[3]` و
# `model.layers[13]` مدل `VGG16()` در Keras (`block1_pool` و `block4_conv3`).
#
# **کد.** تابع `vgg16_table`، مدل `vgg` و تابع `feature_map_shape` را همان‌طور که در بخش **Code** بالا آمده
# پیاده‌سازی کنید.


# %%
VGG16_BLOCKS = ((64, 64), (128, 128), (256, 256, 256), (512, 512, 512), (512, 512, 512))  # conv widths per block


def vgg16_table(input_hw=(224, 224), num_classes=1000):
    """[name, output shape, parameters] of each layer of Keras' VGG16 (after the input layer)."""
    # BEGIN SOLUTION
    # Not reference.hw5.q4_vgg16.keras_vgg16_table: that one returns LayerRow dataclasses (with
    # kinds and weight shapes) and takes the input channels; students return plain lists.
    rows, (height, width), channels = [], input_hw, 3
    for b, widths in enumerate(VGG16_BLOCKS, start=1):
        for i, out_channels in enumerate(widths, start=1):
            # 3x3 "same" conv: 3·3·C_in weights per filter plus its bias; the size is kept
            rows.append([f"block{b}_conv{i}", (height, width, out_channels), 9 * channels * out_channels + out_channels])
            channels = out_channels
        height, width = height // 2, width // 2  # 2x2 max pool, stride 2
        rows.append([f"block{b}_pool", (height, width, channels), 0])
    inputs = height * width * channels
    rows.append(["flatten", (inputs,), 0])
    for name, units in (("fc1", 4096), ("fc2", 4096), ("predictions", num_classes)):
        rows.append([name, (units,), inputs * units + units])
        inputs = units
    return rows
    # END SOLUTION


table = vgg16_table()
for name, shape, count in table:
    print(f"{name:<14}{str(shape):<20}{count:>12,}")
print(f"{'total':<34}{sum(count for *_, count in table):>12,}")


# %%
from torchvision.models import VGG16_Weights, vgg16


def load_vgg16():
    """VGG16 with ImageNet weights where they can be fetched (Colab), else randomly initialised."""
    if torch.cuda.is_available():  # on Colab: the 528 MB of ImageNet weights are worth fetching
        try:
            return vgg16(weights=VGG16_Weights.IMAGENET1K_V1).eval()
        except OSError as error:
            print(f"no pretrained weights ({error}); using random ones")
    return vgg16(weights=None).eval()


vgg = load_vgg16()
print(f"torchvision VGG16: {sum(p.numel() for p in vgg.parameters()):,} parameters")
convs = [m for m in vgg.modules() if isinstance(m, nn.Conv2d)]
denses = [m for m in vgg.modules() if isinstance(m, nn.Linear)]
ours = [count for name, _, count in table if count > 0]
print("the table agrees with torchvision layer by layer:",
      ours == [sum(p.numel() for p in m.parameters()) for m in convs + denses])


# %%
def feature_map_shape(layer, input_hw):
    """(C, H, W) of the output of conv layer `layer` (1..13) of vgg for one input of size input_hw."""
    # BEGIN SOLUTION
    # Not reference.hw5.q4_vgg16.conv_feature_shape: that one is the closed form; the question asks
    # for the shape of what the notebook's own `vgg` computes, so this runs it on a blank image.
    x = torch.zeros(1, 3, *input_hw)
    seen = 0
    with torch.no_grad():
        for module in vgg.features:
            x = module(x)
            if isinstance(module, nn.Conv2d):
                seen += 1
                if seen == layer:
                    return tuple(x.shape[1:])
    raise ValueError(f"VGG16 has 13 conv layers, got {layer}")
    # END SOLUTION


print("layer 3:", feature_map_shape(3, (224, 224)), " layer 13:", feature_map_shape(13, (224, 224)))


# %%
def unit_range(a):
    """Min-max scale to [0, 1], one scale for the whole array so the tiles stay comparable."""
    return (a - a.min()) / (a.max() - a.min())


def show_filters(conv, title, input_channel=None, count=32):
    """The first `count` filters of a conv layer: RGB tiles for the first layer, one input channel otherwise."""
    weight = conv.weight.detach().cpu().numpy()  # [C_out, C_in, 3, 3]
    tiles = weight[:count].transpose(0, 2, 3, 1) if input_channel is None else weight[:count, input_channel, :, :, None]
    tiles = unit_range(tiles)
    figure, axes = plt.subplots(2, count // 2, figsize=(count // 2, 2.3))
    for axis, tile in zip(axes.flat, tiles):
        axis.imshow(tile if tile.shape[-1] == 3 else tile[..., 0], cmap=None if tile.shape[-1] == 3 else "gray")
        axis.axis("off")
    figure.suptitle(title)
    plt.show()
    plt.close(figure)


show_filters(convs[0], "conv layer 1 (3x3x3 filters as RGB)")
show_filters(convs[-1], "conv layer 13 (input channel 0 of each 3x3x512 filter)", input_channel=0)


# %%
def conv_outputs(images, layers=(3, 13)):
    """{layer: feature maps after its ReLU} of vgg for float images [N, 3, H, W] in [0, 1]."""
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)  # the ImageNet statistics VGG16 expects
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    x, seen, maps = (images - mean) / std, 0, {}
    with torch.no_grad():
        for module in vgg.features:
            x = module(x)
            if isinstance(module, nn.ReLU):  # each conv is followed by one ReLU
                seen += 1
                if seen in layers:
                    maps[seen] = x.clone()
                if seen == max(layers):
                    return maps


# new inputs: a few test digits as grey RGB images, enlarged to 128x128 so that layer 13 still has an 8x8 map
new_images = F.interpolate(to_nchw(x_test[:3]).repeat(1, 3, 1, 1), size=(128, 128), mode="bilinear", align_corners=False)
maps = conv_outputs(new_images)
figure, axes = plt.subplots(3, 9, figsize=(13, 4.5))
for row in range(3):
    axes[row, 0].imshow(new_images[row].permute(1, 2, 0).numpy())
    for column in range(4):
        axes[row, 1 + column].imshow(maps[3][row, column].numpy(), cmap="viridis")
        axes[row, 5 + column].imshow(maps[13][row, column].numpy(), cmap="viridis")
for axis in axes.flat:
    axis.axis("off")
axes[0, 1].set_title("layer 3 (64x64)")
axes[0, 5].set_title("layer 13 (8x8)")
plt.show()
plt.close(figure)
print({layer: tuple(m.shape[1:]) for layer, m in maps.items()})


# %% [markdown] answer="q4"
# *VGG.* Simonyan & Zisserman (ICLR 2015) showed that depth matters: VGG uses only $3\times3$
# convolutions (stride 1, padding 1) — two stacked $3\times3$ layers see a $5\times5$ window, three
# a $7\times7$ one, with fewer parameters and more non-linearities — and $2\times2$ max pooling.
# VGG16 (configuration D) has 13 conv layers in five blocks (64, 128, 256, 512, 512 channels; each
# block closed by a pool that halves the size) and three dense layers (4096, 4096, 1000): 16 weight
# layers and **138,357,544** parameters, of which 102,764,544 are in `fc1` (its $7 \cdot 7 \cdot 512 =
# 25{,}088$ inputs) and only 14,714,688 in the convolutions. It was second in ILSVRC-2014
# classification and first in localisation (top-5 error 6.8–7.3 %).
#
# *Filters.* The first layer's $3\times3\times3$ filters act on colours directly: (with trained
# weights) colour blobs and oriented edge / colour-opponent detectors that are easy to read. The last
# layer's filters have 512 input channels, each an abstract feature: one slice of a filter shows no
# recognisable pattern, and what the filter detects is only visible through its activations.
#
# *Feature maps.* Layer 3 (`block2_conv1`, 128 channels at half the input size) is still
# image-like: edges, colours and textures at their positions, many channels respond. Layer 13
# (`block5_conv3`, 512 channels at 1/16 of the input) is coarse and sparse: few channels fire, each
# over a whole region, coding object parts and classes rather than pixels — the representation has
# become more abstract and more invariant to small shifts.


# %% [markdown] heading="q5"
# A **DeconvNet** uses VGG16's convolutional part as the encoder and mirrors it as a decoder: every
# max pooling is undone by a max **unpooling** (with the pooling switches), every convolution by a
# **deconvolution** (transposed convolution), so that the output has the size of the input. (The
# original homework gave a file `net.py` with the network to draw; it is not available, so the
# network is specified below.)
# 1. Draw the network and give the specification of every layer.
# 2. What is the role of deconvolution in deep networks?
# 3. How does a transposed convolution work, and how does it differ from a convolution?
#
# **Code.** With NumPy arrays (`x` is `[N, C_in, H, W]`, `weight` is `[C_out, C_in, k, k]` as in
# `torch.nn.Conv2d`, no bias, square kernels, the same stride, padding and output padding on both axes):
# * `transposed_conv_output_size(n, kernel, stride=1, padding=0, output_padding=0)` — the output
#   length of a transposed convolution (dilation 1) on an input of length `n`.
# * `conv2d(x, weight, stride=1, padding=0)` — the convolution (cross-correlation, as
#   `torch.nn.functional.conv2d`), `[N, C_out, H_out, W_out]`.
# * `conv_transpose2d(y, weight, stride=1, padding=0, output_padding=0)` — the transposed
#   convolution *with the same weight*, from `[N, C_out, H_out, W_out]` back to `[N, C_in, H, W]`
#   with `H` given by your output-size formula (as `torch.nn.functional.conv_transpose2d(y,
#   weight, …)`). It is the adjoint of `conv2d`: for all `x` and `y`,
#   $\langle \text{conv2d}(x), y \rangle = \langle x, \text{conv\_transpose2d}(y) \rangle$ — the
#   grader checks this identity with your two functions on hidden tensors.
# * `DeconvNet` — a `torch.nn.Module`: the 13 conv layers of VGG16 (3×3, padding 1, ReLU) in five
#   blocks, each block closed by a 2×2 max pool that keeps its indices; the decoder mirrors it in
#   reverse: a 2×2 max unpool (told the size of the map its pool received, so odd sizes come back)
#   then, for every conv $C_{in} \to C_{out}$, a 3×3 transposed conv $C_{out} \to C_{in}$ (padding 1,
#   with a bias, ReLU except after the very last layer). `deconvnet = DeconvNet()`; it maps
#   `[N, 3, H, W]` to `[N, 3, H, W]` for any $H, W \ge 32$. The grader counts its parameters and
#   checks the output shape for hidden input sizes.


# %% [markdown] lang="fa"
# شبکهٔ **DeconvNet** بخش کانولوشنی VGG16 را رمزگذار خود می‌کند و آن را در یک رمزگشا قرینه می‌کند: هر max pooling
# با یک max **unpooling** (با محل‌های بیشینهٔ ثبت‌شده در pooling) و هر کانولوشن با یک **دی‌کانولوشن** (کانولوشن
# ترانهاده) برگردانده می‌شود تا خروجی هم‌اندازهٔ ورودی باشد. (فایل `net.py` تمرین اصلی که این شبکه را می‌داد در
# دسترس نیست؛ شبکه در بخش بالا مشخص شده است.)
#
# ۱. شبکه را رسم کنید و مشخصات هر لایه را بنویسید.
#
# ۲. نقش دی‌کانولوشن در شبکه‌های عمیق چیست؟
#
# ۳. کانولوشن ترانهاده چگونه کار می‌کند و چه تفاوتی با کانولوشن دارد؟
#
# **کد.** توابع `transposed_conv_output_size`، `conv2d` و `conv_transpose2d` و کلاس `DeconvNet` را همان‌طور که
# در بخش **Code** بالا آمده پیاده‌سازی کنید. تصحیح‌گر اتحاد الحاقی
# $\langle \text{conv2d}(x), y \rangle = \langle x, \text{conv\_transpose2d}(y) \rangle$ را با دو تابع شما روی
# تنسورهای پنهان بررسی می‌کند.


# %%
def transposed_conv_output_size(n, kernel, stride=1, padding=0, output_padding=0):
    """Output length of a transposed convolution (dilation 1) on an input of length n."""
    # SOLUTION FROM reference.hw5.q5_transposed_conv.conv_transpose_output_size


def conv2d(x, weight, stride=1, padding=0):
    """Cross-correlation of x [N, C_in, H, W] with weight [C_out, C_in, k, k]: [N, C_out, H_out, W_out]."""
    # BEGIN SOLUTION
    # Not reference.hw5.q5_transposed_conv.conv2d: that one multiplies by the convolution's full
    # matrix (to show its transpose); a sum over the kernel's taps computes it without the matrix.
    x = np.pad(np.asarray(x, dtype=float), ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    weight = np.asarray(weight, dtype=float)
    k = weight.shape[-1]
    h_out, w_out = (x.shape[2] - k) // stride + 1, (x.shape[3] - k) // stride + 1
    out = np.zeros((x.shape[0], weight.shape[0], h_out, w_out))
    for u in range(k):
        for v in range(k):
            # the input pixels that tap (u, v) of the kernel meets, for every output position
            seen = x[:, :, u : u + stride * (h_out - 1) + 1 : stride, v : v + stride * (w_out - 1) + 1 : stride]
            out += np.einsum("nchw,oc->nohw", seen, weight[:, :, u, v])
    return out
    # END SOLUTION


def conv_transpose2d(y, weight, stride=1, padding=0, output_padding=0):
    """The adjoint of conv2d: y [N, C_out, H_out, W_out] back to [N, C_in, H, W] with the same weight."""
    # BEGIN SOLUTION
    # Not reference.hw5.q5_transposed_conv.conv_transpose2d: that one multiplies by the transposed
    # matrix and is told the input size; this one takes torch's output_padding and scatters tap by tap.
    y = np.asarray(y, dtype=float)
    weight = np.asarray(weight, dtype=float)
    k = weight.shape[-1]
    h_out, w_out = y.shape[2:]
    h = transposed_conv_output_size(h_out, k, stride, padding, output_padding)
    w = transposed_conv_output_size(w_out, k, stride, padding, output_padding)
    # conv2d read tap (u, v) of every output from the padded input; send each output value back
    # along the same weights to the same places (scatter-add), then crop the padding
    padded = np.zeros((y.shape[0], weight.shape[1], h + 2 * padding, w + 2 * padding))
    for u in range(k):
        for v in range(k):
            padded[:, :, u : u + stride * (h_out - 1) + 1 : stride, v : v + stride * (w_out - 1) + 1 : stride] += (
                np.einsum("nohw,oc->nchw", y, weight[:, :, u, v])
            )
    return padded[:, :, padding : padding + h, padding : padding + w]
    # END SOLUTION


# %%
# Check against torch, and the adjoint identity <conv2d(x), y> = <x, conv_transpose2d(y)>.
rng = np.random.default_rng(5)
x, weight = rng.standard_normal((2, 3, 10, 10)), rng.standard_normal((4, 3, 3, 3))
conv_x = conv2d(x, weight, stride=2, padding=1)  # 10 -> 5: the floor drops one row and column
by_torch = F.conv2d(torch.from_numpy(x), torch.from_numpy(weight), stride=2, padding=1).numpy()
print("conv2d == torch:", np.allclose(conv_x, by_torch), conv_x.shape)
y = rng.standard_normal(conv_x.shape)
back = conv_transpose2d(y, weight, stride=2, padding=1, output_padding=1)  # 5 -> 10, not 9
by_torch = F.conv_transpose2d(torch.from_numpy(y), torch.from_numpy(weight), stride=2, padding=1, output_padding=1).numpy()
print("conv_transpose2d == torch:", np.allclose(back, by_torch), back.shape)
print(f"<conv2d(x), y> = {np.sum(conv_x * y):.6f}, <x, conv_transpose2d(y)> = {np.sum(x * back):.6f}")


# %%
class DeconvNet(nn.Module):
    """VGG16's 13 convolutions and 5 pools, mirrored by unpooling + transposed convolutions."""

    def __init__(self, in_channels=3, blocks=VGG16_BLOCKS):
        super().__init__()
        # BEGIN SOLUTION
        # Not reference.hw5.q5_deconvnet.DeconvNet.__init__: the same layers, from the channels and
        # blocks themselves rather than a DeconvNetConfig (which the notebook does not define).
        pairs, channels = [], in_channels  # (C_in, C_out) of every conv, block by block
        for widths in blocks:
            pairs.append([])
            for width in widths:
                pairs[-1].append((channels, width))
                channels = width
        self.encoder = nn.ModuleList(
            nn.Sequential(*[m for c_in, c_out in block for m in (nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU())])
            for block in pairs
        )
        self.pool = nn.MaxPool2d(2, stride=2, return_indices=True)  # the indices are the switches
        self.unpool = nn.MaxUnpool2d(2, stride=2)
        decoder = []
        for b, block in enumerate(reversed(pairs)):
            layers = []
            for i, (c_in, c_out) in enumerate(reversed(block)):
                layers.append(nn.ConvTranspose2d(c_out, c_in, 3, padding=1))  # the mirror of c_in -> c_out
                if not (b == len(pairs) - 1 and i == len(block) - 1):  # the reconstruction stays linear
                    layers.append(nn.ReLU())
            decoder.append(nn.Sequential(*layers))
        self.decoder = nn.ModuleList(decoder)
        # END SOLUTION

    def forward(self, x):
        """x [N, in_channels, H, W] through the encoder and the decoder: a map of the same shape."""
        # SOLUTION FROM reference.hw5.q5_deconvnet.DeconvNet.forward


deconvnet = DeconvNet().eval()
print(f"DeconvNet: {sum(p.numel() for p in deconvnet.parameters()):,} parameters")
with torch.no_grad():
    print("output shape for a [1, 3, 37, 45] input:", tuple(deconvnet(torch.zeros(1, 3, 37, 45)).shape))


# %% [markdown] answer="q5"
# *The network.* Encoder = VGG16's convolutions: block 1: conv 3→64, 64→64, pool (switches kept);
# block 2: 64→128, 128→128, pool; block 3: 128→256, 256→256, 256→256, pool; blocks 4 and 5: three
# convs of 512, pool each (all 3×3, padding 1, ReLU). Decoder, in reverse order: unpool to the size
# of block 5's map, transposed convs 512→512 ×3; unpool, 512→512, 512→512, 512→256; unpool,
# 256→256, 256→256, 256→128; unpool, 128→128, 128→64; unpool, 64→64, 64→3 (linear). Encoder
# 14,714,688 and decoder 14,714,179 parameters (29,428,867 in all); the output has the input's shape.
#
# *Role of deconvolution.* Learnable **upsampling**: it maps coarse, deep feature maps back to
# pixel resolution, for dense predictions (semantic segmentation in DeconvNet / FCN / U-Net),
# image generation (GAN generators, decoders of autoencoders), super-resolution, and for
# visualising what a unit responds to (Zeiler & Fergus project activations back to pixel space).
#
# *How it works.* A convolution is a linear map $C$ (a sparse matrix with the kernel's weights);
# the transposed convolution multiplies by $C^\top$: every input value is multiplied by the whole
# kernel and *added* into the output at stride-spaced positions (a scatter-add, equivalently zeros
# inserted between the inputs followed by an ordinary convolution). Where a strided convolution
# shrinks a map, $H_{out} = \lfloor (H + 2p - k)/s \rfloor + 1$, its transpose enlarges it,
# $H = (H_{out} - 1)s - 2p + k + p_{out}$. It is not the inverse of the convolution ($C^\top C \neq I$);
# it is its adjoint, $\langle Cx, y\rangle = \langle x, C^\top y\rangle$ (also the gradient of the
# convolution with respect to its input), and in a decoder its weights are learned.
