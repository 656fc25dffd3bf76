# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] heading="title"
# Five questions: four theory questions with small programming parts (q1–q4) and one practical
# question (q5, facial expression recognition on AffectNet with PyTorch). The points are the
# handout's: q1 5, q2 12, q3 20, q4 15, q5 100 (152 in all).
#
# **How this notebook is graded.** The grader runs the whole notebook from top to bottom in a
# fresh kernel (offline, CPU, a time limit per cell), then calls the functions you define here
# *by name* on hidden inputs and compares the results with its own reference. So:
# * keep every function's **name and signature** as given, and return what its docstring says;
# * replace each `raise NotImplementedError` with your code (helper functions are welcome);
# * written answers (explanations, derivations, analyses) go in the cells marked **Your answer**;
#   a TA grades them by hand, and also the figures and reports of question 5.
#
# Parts marked *optional extension* go beyond the handout: their checks run and report, but are
# worth no points, so leaving them out costs nothing.
#
# To run the public checks on your own machine, see the README beside this notebook
# (`grade check <homework folder> <your notebook>`).


# %% [markdown] lang="fa"
# پنج سؤال: چهار سؤال نظری همراه با بخش‌های کوچک برنامه‌نویسی (سؤال‌های ۱ تا ۴) و یک سؤال عملی
# (سؤال ۵، بازشناسی حالت چهره روی AffectNet با PyTorch). بارم‌ها همان بارم‌های صورت تمرین است: سؤال ۱ پنج نمره،
# سؤال ۲ دوازده، سؤال ۳ بیست، سؤال ۴ پانزده و سؤال ۵ صد نمره (در مجموع ۱۵۲).
#
# **این نوت‌بوک چگونه تصحیح می‌شود.** تصحیح‌گر کل نوت‌بوک را از ابتدا تا انتها در یک کرنل تازه اجرا می‌کند
# (بدون اینترنت، روی CPU، با محدودیت زمان برای هر سلول) و سپس توابعی را که اینجا تعریف می‌کنید *با نامشان*
# روی ورودی‌های پنهان صدا می‌زند و نتیجه را با پاسخ مرجع خود مقایسه می‌کند. پس:
# * **نام و امضای** هر تابع را همان‌طور که داده شده نگه دارید و همان چیزی را برگردانید که docstring آن می‌گوید؛
# * به جای هر `raise NotImplementedError` کد خود را بنویسید (تعریف توابع کمکی آزاد است)؛
# * پاسخ‌های نوشتاری (توضیح‌ها، استخراج‌ها، تحلیل‌ها) را در سلول‌های **Your answer** بنویسید؛ دستیار آموزشی
#   آن‌ها را و همچنین نمودارها و گزارش‌های سؤال ۵ را تصحیح می‌کند.
#
# بخش‌هایی که با عنوان *بخش اختیاری* آمده‌اند فراتر از صورت تمرین‌اند: آزمون‌هایشان اجرا و گزارش می‌شوند اما
# نمره‌ای ندارند، پس انجام ندادنشان نمره‌ای کم نمی‌کند.
#
# برای اجرای آزمون‌های عمومی روی رایانهٔ خودتان، راهنمای README کنار این نوت‌بوک را ببینید.


# %%
import os

import numpy as np
import torch
import torch.nn.functional as F


# %% [markdown] heading="q1"
# The way convolutional layers share their parameters makes them **equivariant to translation**.
# Explain why parameter sharing gives a convolutional layer this property, and what the property
# is used for.
#
# *Optional extension (no points): a proof and code.* Following Cohen & Welling (2016), for an
# image $f$ and a filter $\Psi$ on $\mathbb{Z}^2$ let
#
# $$(f \star \Psi)(x) = \sum_{y \in \mathbb{Z}^2} f(y)\,\Psi(y - x), \qquad (L_t f)(x) = f(x - t),$$
#
# and prove that $(L_t f) \star \Psi = L_t (f \star \Psi)$ for every shift $t \in \mathbb{Z}^2$.
# On a finite $H \times W$ grid the identity holds exactly when the image wraps around (indices
# taken modulo $(H, W)$, i.e. *circular* padding). With NumPy arrays:
# * `shift(f, t)` — $(L_t f)[x] = f[(x - t) \bmod (H, W)]$ for a pair of integers `t = (t0, t1)`
#   (negative or larger than the image is fine): the content moves `t0` rows down and `t1`
#   columns right.
# * `correlate2d(f, psi)` — after the substitution $y = x + u$ the definition reads
#   $\text{out}[x] = \sum_u \psi[u]\, f[(x + u) \bmod (H, W)]$, with $\Psi(u) = $ `psi[u]` for
#   $0 \le u < $ `psi.shape` and $0$ elsewhere. The output has the shape of `f`. (This is
#   `torch.nn.functional.conv2d` — no kernel flip — on `f` padded circularly at the bottom/right.)
#
# The grader compares both functions with its reference on hidden arrays and checks that they
# satisfy the identity without being trivial (the shift moves the content, the correlation
# depends on the image and on the filter).


# %% [markdown] lang="fa"
# نحوهٔ اشتراک پارامترها در لایه‌های کانولوشنی باعث می‌شود این لایه‌ها نسبت به انتقال **هم‌وردا** باشند.
# توضیح دهید چرا اشتراک پارامترها این ویژگی را به لایهٔ کانولوشنی می‌دهد و این ویژگی چه کاربردی دارد.
#
# *بخش اختیاری (بدون نمره): اثبات و کد.* با تعریف‌های بالا (Cohen و Welling، ۲۰۱۶) ثابت کنید برای هر انتقال
# $t \in \mathbb{Z}^2$ داریم $(L_t f) \star \Psi = L_t (f \star \Psi)$، و توابع `shift` و `correlate2d` را همان‌طور
# که در بالا آمده با آرایه‌های NumPy پیاده‌سازی کنید.


# %%
def shift(f, t):
    """(L_t f)[x] = f[(x - t) mod (H, W)]: the content of f moves by t = (t0, t1)."""
    # SOLUTION FROM reference.hw4.q1_equivariance.shift


def correlate2d(f, psi):
    """out[x] = sum_u psi[u] * f[(x + u) mod (H, W)]: circular correlation, same shape as f."""
    # BEGIN SOLUTION
    # Not reference.hw4.q1_equivariance.correlate2d: that one also takes zero padding (to show
    # where equivariance breaks); the question asks for the circular correlation only.
    f = np.asarray(f, dtype=float)
    psi = np.asarray(psi, dtype=float)
    out = np.zeros_like(f)
    for u0 in range(psi.shape[0]):
        for u1 in range(psi.shape[1]):
            # rolling by -u brings f[x + u] to position x, for every x at once
            out += psi[u0, u1] * np.roll(f, shift=(-u0, -u1), axis=(0, 1))
    return out
    # END SOLUTION


# %%
# Check (optional extension): the identity holds on random arrays, and correlate2d agrees with torch's conv2d.
rng = np.random.default_rng(0)
f, psi, t = rng.standard_normal((6, 7)), rng.standard_normal((3, 2)), (2, -3)
gap = np.max(np.abs(correlate2d(shift(f, t), psi) - shift(correlate2d(f, psi), t)))
print(f"max |((L_t f) * psi) - L_t(f * psi)| = {gap:.1e}")

wrapped = F.pad(torch.from_numpy(f)[None, None], (0, psi.shape[1] - 1, 0, psi.shape[0] - 1), mode="circular")
by_torch = F.conv2d(wrapped, torch.from_numpy(psi)[None, None])[0, 0].numpy()
print(f"max |correlate2d - torch conv2d (circular)| = {np.max(np.abs(correlate2d(f, psi) - by_torch)):.1e}")


# %% [markdown] answer="q1"
# *Why parameter sharing gives equivariance.* A convolutional layer applies the **same** filter
# (the same weights and bias) at every position of its input: each output value is the same
# function of the input window at that position. If the input is shifted, every window moves
# with it, and since the function applied to a window does not depend on where the window is,
# the output values move by the same shift: shifting and then filtering equals filtering and
# then shifting. A layer with different weights at each position (a fully connected or locally
# connected layer) has no such property: a pattern seen at a new position meets other weights.
#
# *What it is used for.*
# 1. **Detection anywhere:** a feature (an edge, an eye, a wheel) is detected wherever it
#    appears, and its position is kept in the feature map. Pooling and global pooling later
#    turn this into translation *invariance* for classification, while detection and
#    segmentation keep the positions.
# 2. **Fewer parameters:** one small filter serves every position, far fewer weights than a
#    fully connected layer on the same input; less memory and less overfitting.
# 3. **Generalisation / data efficiency:** what is learnt at one position holds at all others, so
#    the training data need not show every object at every position.
#
# Real CNNs keep it only approximately: zero padding at the borders and strided pooling or
# convolution (only shifts by multiples of the stride are preserved) break it.
#
# *Optional: the proof.* Substitute $y \leftarrow x + y$ (a bijection of $\mathbb{Z}^2$, so the sum is unchanged):
# $(f \star \Psi)(x) = \sum_{y} f(x + y)\,\Psi(y)$. Then
#
# $$((L_t f) \star \Psi)(x) = \sum_y (L_t f)(x + y)\,\Psi(y) = \sum_y f(x + y - t)\,\Psi(y),$$
# $$(L_t (f \star \Psi))(x) = (f \star \Psi)(x - t) = \sum_y f((x - t) + y)\,\Psi(y) = \sum_y f(x + y - t)\,\Psi(y).$$
#
# Both sides are the same sum for every $x$. The proof uses only that the *same* filter $\Psi$ is
# applied at every position (parameter sharing): with position-dependent weights $\Psi_x$ it fails.


# %% [markdown] heading="q2"
# Deep networks suffer from a lack of interpretability. Two approaches have been proposed to
# address it: a **deconvolutional** approach (Springenberg, Dosovitskiy, Brox & Riedmiller, 2015,
# *Striving for Simplicity: The All Convolutional Net*, arXiv:1412.6806 — guided backpropagation)
# and an **up-convolutional** approach (Dosovitskiy & Brox, 2016, *Inverting Visual
# Representations with Convolutional Networks*, arXiv:1506.02753). Study both and explain how
# each of them makes a network interpretable.
#
# *Optional extension (no points): code.* The deconvnet of Zeiler & Fergus (2014), on which the
# first approach builds, inverts max pooling with *switches*: each pooled value goes back to the
# position that won the max, every other position gets 0. With NumPy arrays in NCHW layout
# (batch, channel, height, width):
# * `max_unpool(pooled, switches, output_shape)` — `pooled` and `switches` have the same shape
#   (N, C, H', W'); `switches[n, c, i, j]` is the flat index `r * W + s` (inside its H×W plane) of
#   the input position that held the max — what `torch.nn.functional.max_pool2d(...,
#   return_indices=True)` returns. `output_shape = (H, W)`. Return the (N, C, H, W) array of zeros
#   with every pooled value written at its switch (as `torch.nn.MaxUnpool2d` does).
# * `transposed_conv_output_size(n, kernel, stride, padding, output_padding=0)` — the output
#   length, along one axis, of a transposed convolution (the layer both approaches use to go
#   back up) applied to an input of length `n` (as `torch.nn.ConvTranspose2d` with dilation 1).


# %% [markdown] lang="fa"
# شبکه‌های عمیق از کمبود تفسیرپذیری رنج می‌برند. برای رفع آن دو رویکرد مطرح شده است: رویکرد **دکانولوشنی**
# (Springenberg و همکاران، ۲۰۱۵، مقالهٔ *Striving for Simplicity: The All Convolutional Net* — پس‌انتشار هدایت‌شده یا
# guided backpropagation) و رویکرد **Up-convolution** (Dosovitskiy و Brox، ۲۰۱۶، مقالهٔ *Inverting Visual
# Representations with Convolutional Networks*). هر دو را بررسی کنید و توضیح دهید هر یک چگونه شبکه را تفسیرپذیر می‌کند.
#
# *بخش اختیاری (بدون نمره): کد.* توابع `max_unpool` و `transposed_conv_output_size` را همان‌طور که در بالا آمده
# پیاده‌سازی کنید.


# %%
def max_unpool(pooled, switches, output_shape):
    """(N, C, H, W) zeros with pooled[n, c, i, j] written at flat position switches[n, c, i, j]."""
    # SOLUTION FROM reference.hw4.q2_deconvnet.max_unpool


def transposed_conv_output_size(n, kernel, stride, padding, output_padding=0):
    """Output length of a transposed convolution (dilation 1) on an input of length n."""
    # BEGIN SOLUTION
    # Not the reference's: it also takes a dilation; the question fixes dilation 1.
    # The n inputs are placed `stride` apart ((n - 1) * stride), each spreads over `kernel`
    # outputs, `padding` is cropped from both ends and output_padding is added on one side.
    return (n - 1) * stride + kernel - 2 * padding + output_padding
    # END SOLUTION


# %%
# Check (optional extension) against torch: max-pool with switches, then MaxUnpool2d and ConvTranspose2d.
x = torch.randn(2, 3, 6, 7)
pooled, switches = F.max_pool2d(x, 2, stride=2, return_indices=True)
by_torch = torch.nn.MaxUnpool2d(2, stride=2)(pooled, switches, output_size=(6, 7)).numpy()
ours = max_unpool(pooled.numpy(), switches.numpy(), (6, 7))
print("max_unpool == MaxUnpool2d:", np.array_equal(ours, by_torch))

layer = torch.nn.ConvTranspose2d(1, 1, kernel_size=4, stride=3, padding=1, output_padding=2)
print("transposed conv length:", transposed_conv_output_size(5, 4, 3, 1, 2), "torch:", layer(torch.zeros(1, 1, 5, 5)).shape[-1])


# %% [markdown] answer="q2"
# *The deconvolutional approach (Springenberg et al.): guided backpropagation.* To see what a unit
# of a trained network responds to, its activation is sent back down to the image. Zeiler &
# Fergus's *deconvnet* does this with the network's own filters (transposed convolutions), a ReLU
# on the backward signal, and max *un*pooling with the *switches* recorded in the forward pass.
# Springenberg et al. show that max pooling can be replaced by convolutions with stride 2 without
# losing accuracy (the **all-convolutional net**). Without max pooling there are no switches, and
# the plain deconvnet's reconstructions from higher layers no longer depend on the input image
# and become blurred. Their remedy, **guided backpropagation**, computes the gradient of the
# chosen activation with respect to the input, but at every ReLU it lets the backward signal
# through only where *both* the forward input was positive (as ordinary backpropagation does)
# *and* the backward signal itself is positive (as the deconvnet does):
# $R_l = \mathbb{1}[f_l > 0]\,\mathbb{1}[R_{l+1} > 0]\,R_{l+1}$. Negative evidence is dropped, so
# the result is a sharp image of exactly the input patterns that *increase* the unit's activation.
# Interpretability: for any unit of any layer (up to the class scores) it shows what the unit
# detects in a given image — edges and colours in the first layers, textures and object parts
# deeper, whole objects at the top — and so whether the network looks at the object or at its
# context, and what its layers have learnt.
#
# *The up-convolutional approach (Dosovitskiy & Brox).* Instead of reusing the classifier's own
# weights, a separate **decoder** is trained: up-convolutional layers (upsampling, i.e. transposed
# convolutions, followed by convolutions) that take the features $\Phi(x)$ of one layer of the
# fixed, trained network and reconstruct the input image, trained on many images to minimise
# $\sum \lVert x - D(\Phi(x)) \rVert^2$. The reconstruction is the *expected* image given the
# features: it shows which information the representation still holds and which it has discarded.
# They found that colour and the rough position and outline of objects survive even in the fully
# connected layers and the class probabilities, while fine detail fades layer by layer;
# reconstructing from perturbed or partial features shows which parts of the representation
# carry which information. Difference: guided backpropagation (like the deconvnet) explains one
# unit's response to one image with the network's own weights and no training; the
# up-convolutional network is learnt and inverts everything a layer encodes.


# %% [markdown] heading="q3"
# Consider the convolutional network of the figure:
# * input $X$ of size $785 \times 1$, output of size $1 \times 1$;
# * the input layer $X$ is **zero-padded** with length 1 (at both ends);
# * **CONV1**: a one-dimensional convolution with **one** $2 \times 1$ filter (stride 1) and ReLU;
# * **AVGPOOL1**: average pooling, extent 2, stride 2;
# * **FC1**: fully connected, **20 units**, ReLU;
# * output **Z**: one unit, fully connected to FC1, sigmoid.
#
# The weights from FC1 to Z are $W^F_i$ and the bias of Z is $b^F$; the weight from AVGPOOL1
# unit $j$ to FC1 unit $i$ is $W^A_{ji}$ and the biases of FC1 are $b^M_i$; the filter is
# $W^C = [W^C_1, W^C_2]$ and the bias of the convolution is $b^C$. The outputs of the layers are
# $c(X)$ (CONV1), $a(X)$ (AVGPOOL1), $f(X)$ (FC1) and $z(X)$ (Z). The training data are
# $X^{(n)}$ with expected outputs $Y^{(n)} \in \{0, 1\}$, and the cost is
#
# $$\text{cost}(X, Y) = \sum_n \text{cost}(X^{(n)}, Y^{(n)})
#   = \sum_n \Big(-Y^{(n)} \log z(X^{(n)}) - (1 - Y^{(n)}) \log\big(1 - z(X^{(n)})\big)\Big).$$
#
# 1. Count the parameters of the network, with the details of the computation.
# 2. For a single training example, compute $\dfrac{\partial \text{Cost}}{\partial W^A_{ji}}$ and
#    $\dfrac{\partial \text{Cost}}{\partial W^C_1}$ in detail.
#
# **Code.** Number the padded input $\tilde x = [0, x_1, \dots, x_{785}, 0]$ from 1, so that
# $c_m = \text{ReLU}(W^C_1 \tilde x_m + W^C_2 \tilde x_{m+1} + b^C)$ for $m = 1, \dots, 786$ (the
# filter is not flipped) and $a_j = \tfrac12 (c_{2j-1} + c_{2j})$; take ReLU′(0) = 0.
# * `parameter_count(length=785, kernel=2, padding=1, pool=2, hidden=20)` — a dict
#   `{"conv1": …, "avgpool1": …, "fc1": …, "z": …, "total": …}`: the trainable parameters (weights
#   and biases) of each layer and in total, for a network of this shape with the given input
#   length, filter width, padding at each end, pooling extent (= stride; a remainder is dropped)
#   and number of FC1 units.
# * `gradients(x, y, params)` — the derivatives of the cost of **one** example. `x` is an array of
#   the 785 input values, `y` is 0 or 1, and `params` holds the parameters under their names
#   above: `"W_C_1"`, `"W_C_2"`, `"b_C"` (floats), `"W_A"` of shape (393, 20) with
#   `W_A[j, i]` $= W^A_{ji}$ (row: the AVGPOOL1 unit, column: the FC1 unit), `"b_M"` (20,),
#   `"W_F"` (20,) and `"b_F"` (a float). Return a dict with `"W_A"`: the (393, 20) array of
#   $\partial\,\text{Cost} / \partial W^A_{ji}$ at `[j, i]`, and `"W_C_1"`:
#   $\partial\,\text{Cost} / \partial W^C_1$ (a float). Checked to 1e-6 on hidden examples.
#   *Optional extension (no points):* the derivatives of the other parameters, under their keys
#   in `params`.


# %% [markdown] lang="fa"
# شبکهٔ کانولوشنی شکل را در نظر بگیرید: ورودی $785 \times 1$ و خروجی $1 \times 1$؛ لایهٔ ورودی $X$ با
# zero padding به طول ۱ (در دو طرف)؛ لایهٔ کانولوشنی یک‌بعدی CONV1 با **یک** فیلتر $2 \times 1$ (گام ۱) و ReLU؛
# لایهٔ AVGPOOL1 با اندازهٔ ۲ و گام ۲؛ لایهٔ تمام‌متصل FC1 با **۲۰ واحد** و ReLU؛ و لایهٔ خروجی Z که کاملاً به FC1
# متصل است و تابع فعال‌سازی سیگموید دارد.
#
# وزن‌های FC1 به Z را $W^F_i$ و بایاس Z را $b^F$، وزن واحد $j$ از AVGPOOL1 به واحد $i$ از FC1 را $W^A_{ji}$ و
# بایاس‌های FC1 را $b^M_i$، فیلتر را $W^C = [W^C_1, W^C_2]$ و بایاس لایهٔ کانولوشنی را $b^C$ می‌نامیم. خروجی‌های لایه‌ها
# به ترتیب $c(X)$، $a(X)$، $f(X)$ و $z(X)$ هستند و تابع هزینه همان cross-entropy بالاست.
#
# ۱. تعداد پارامترهای شبکه را با ذکر جزئیات محاسبه کنید.
#
# ۲. برای فقط یک نمونهٔ آموزشی، مقدار $\partial \text{Cost} / \partial W^A_{ji}$ و $\partial \text{Cost} / \partial W^C_1$
# را با جزئیات محاسبه کنید.
#
# **کد.** توابع `parameter_count` و `gradients` را همان‌طور که در بخش **Code** بالا آمده پیاده‌سازی کنید؛ مشتق
# سایر پارامترها بخش اختیاری (بدون نمره) است.


# %%
def parameter_count(length=785, kernel=2, padding=1, pool=2, hidden=20):
    """Trainable parameters per layer and in total: {"conv1", "avgpool1", "fc1", "z", "total"}."""
    # BEGIN SOLUTION
    # Not the reference's, which derives the lengths in a config class shared with its
    # backprop code: here the whole count is one function, as a student writes it.
    conv_length = length + 2 * padding - kernel + 1  # stride 1 on the padded input
    pooled_length = conv_length // pool  # extent = stride = pool; a remainder is dropped
    counts = {
        "conv1": kernel + 1,  # W^C (one filter of width `kernel`) + b^C
        "avgpool1": 0,  # an average has nothing to learn
        "fc1": pooled_length * hidden + hidden,  # W^A (pooled x hidden) + b^M
        "z": hidden + 1,  # W^F + b^F
    }
    counts["total"] = sum(counts.values())
    return counts
    # END SOLUTION


print(parameter_count())


# %%
def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def forward(x, params):
    """The layer outputs c, a, f, z of one example, with the pre-activations s (CONV1) and u (FC1)."""
    # BEGIN SOLUTION
    # Not the reference's forward (a dataclass of intermediates for any filter width): the
    # notebook's network has the handout's sizes and returns a dict.
    padded = np.concatenate([[0.0], np.ravel(x).astype(float), [0.0]])  # zero padding 1 at each end
    s = params["W_C_1"] * padded[:-1] + params["W_C_2"] * padded[1:] + params["b_C"]  # 786 windows
    c = np.maximum(s, 0.0)
    a = c.reshape(-1, 2).mean(axis=1)  # extent 2, stride 2: 786 -> 393
    u = a @ params["W_A"] + params["b_M"]  # u_i = sum_j W^A_ji a_j + b^M_i
    f = np.maximum(u, 0.0)
    z = sigmoid(params["W_F"] @ f + params["b_F"])
    return dict(padded=padded, s=s, c=c, a=a, u=u, f=f, z=z)
    # END SOLUTION


def gradients(x, y, params):
    """dCost/dW^A (entry [j, i] for W^A_ji) and dCost/dW^C_1 of one example, as {"W_A", "W_C_1"}."""
    # BEGIN SOLUTION
    v = forward(x, params)
    d_z = v["z"] - y  # dCost/d(sum_i W^F_i f_i + b^F): sigmoid + cross-entropy, sigma' cancels
    delta = d_z * params["W_F"] * (v["u"] > 0)  # dCost/du_i: through W^F_i, then FC1's ReLU
    d_a = params["W_A"] @ delta  # dCost/da_j = sum_i W^A_ji delta_i
    # each a_j is the mean of 2 CONV1 outputs: each gets half its gradient; then CONV1's ReLU
    epsilon = np.repeat(d_a, 2) / 2 * (v["s"] > 0)
    return {
        "W_A": np.outer(v["a"], delta),  # dCost/dW^A_ji = a_j delta_i
        # the one filter is used at every position m: its gradient sums over m
        "W_C_1": float(epsilon @ v["padded"][:-1]),
        # the optional extension: every other parameter
        "W_C_2": float(epsilon @ v["padded"][1:]),
        "b_C": float(epsilon.sum()),
        "b_M": delta,
        "W_F": d_z * v["f"],
        "b_F": float(d_z),
    }
    # END SOLUTION


# %%
# Check: the closed-form derivatives against torch autograd on a random example.
rng = np.random.default_rng(1)
params = {
    "W_C_1": rng.standard_normal(), "W_C_2": rng.standard_normal(), "b_C": 0.1,
    "W_A": rng.standard_normal((393, 20)) / np.sqrt(393), "b_M": 0.1 * rng.standard_normal(20),
    "W_F": rng.standard_normal(20) / np.sqrt(20), "b_F": -0.2,
}
x, y = rng.standard_normal(785), 1
ours = gradients(x, y, params)

leaves = {k: torch.tensor(np.asarray(v, dtype=float), requires_grad=True) for k, v in params.items()}
W_C = torch.stack([leaves["W_C_1"], leaves["W_C_2"]])
c = F.relu(F.conv1d(torch.tensor(x)[None, None], W_C[None, None], leaves["b_C"][None], padding=1))
a = F.avg_pool1d(c, 2)[0, 0]
f = F.relu(a @ leaves["W_A"] + leaves["b_M"])
z = torch.sigmoid(leaves["W_F"] @ f + leaves["b_F"])
F.binary_cross_entropy(z, torch.tensor(float(y), dtype=torch.float64)).backward()
print({k: float(np.max(np.abs(ours[k] - leaves[k].grad.numpy()))) for k in ours})


# %% [markdown] answer="q3"
# *1. Parameters.* Padded input: $785 + 2 = 787$. CONV1 (filter 2, stride 1): $787 - 2 + 1 = 786$
# outputs; AVGPOOL1 (extent 2, stride 2): $(786 - 2)/2 + 1 = 393$ outputs.
# * CONV1: one filter of $2$ weights ($W^C_1, W^C_2$) $+ 1$ bias ($b^C$) $= 3$;
# * AVGPOOL1: an average has no parameters: $0$;
# * FC1: $393 \cdot 20 = 7{,}860$ weights $W^A_{ji}$ $+ 20$ biases $b^M_i$ $= 7{,}880$;
# * Z: $20$ weights $W^F_i$ $+ 1$ bias $b^F$ $= 21$.
#
# **Total $= 3 + 0 + 7{,}880 + 21 = 7{,}904$.**
#
# *2. Derivatives (one example).* Forward: $\tilde x = [0, x, 0]$,
# $s_m = W^C_1 \tilde x_m + W^C_2 \tilde x_{m+1} + b^C$, $c_m = \text{ReLU}(s_m)$,
# $a_j = \tfrac12 (c_{2j-1} + c_{2j})$, $u_i = \sum_j W^A_{ji} a_j + b^M_i$, $f_i = \text{ReLU}(u_i)$,
# $z = \sigma(v)$ with $v = \sum_i W^F_i f_i + b^F$.
#
# * Z: $\frac{\partial C}{\partial z} = -\frac{y}{z} + \frac{1-y}{1-z}$ and $\sigma'(v) = z(1-z)$, so
#   $\frac{\partial C}{\partial v} = z - y$.
# * FC1: $\frac{\partial C}{\partial f_i} = (z - y)\, W^F_i$ and
#   $\delta_i = \frac{\partial C}{\partial u_i} = (z - y)\, W^F_i\, \mathbb{1}[u_i > 0]$. Since $u_i$
#   depends on $W^A_{ji}$ only through the term $W^A_{ji} a_j$,
#   $$\frac{\partial C}{\partial W^A_{ji}} = \delta_i\, a_j = (z-y)\,W^F_i\,\mathbb{1}[f_i>0]\,a_j.$$
# * AVGPOOL1: $\frac{\partial C}{\partial a_j} = \sum_i W^A_{ji}\, \delta_i$; $c_m$ enters only
#   $a_{\lceil m/2 \rceil}$, with weight $\tfrac12$, so
#   $\varepsilon_m = \frac{\partial C}{\partial s_m} = \tfrac12\, \mathbb{1}[s_m > 0]\, \frac{\partial C}{\partial a_{\lceil m/2\rceil}}$.
# * CONV1: the filter is shared by all 786 positions, so its derivative sums over them; $W^C_1$
#   multiplies $\tilde x_m$ at position $m$:
#   $$\frac{\partial C}{\partial W^C_1} = \sum_{m=1}^{786} \varepsilon_m\, \tilde x_m
#   = \sum_m \tfrac12\, \mathbb{1}[c_m>0]\, \tilde x_m \sum_i W^A_{\lceil m/2\rceil i}\, (z-y)\, W^F_i\, \mathbb{1}[f_i>0].$$
#
# (Likewise $\frac{\partial C}{\partial W^C_2} = \sum_m \varepsilon_m \tilde x_{m+1}$,
# $\frac{\partial C}{\partial b^C} = \sum_m \varepsilon_m$, $\frac{\partial C}{\partial b^M_i} = \delta_i$,
# $\frac{\partial C}{\partial W^F_i} = (z - y) f_i$ and $\frac{\partial C}{\partial b^F} = z - y$.)


# %% [markdown] heading="q4"
# Dilated convolution is a way to enlarge the **receptive field** of a convolutional network:
#
# $$(K \star_D I)(i, j) = \sum_{m} \sum_{n} K(m, n)\, I(i + Dm,\; j + Dn),$$
#
# computed only for the indices where kernel and image overlap completely.
#
# 1. In a convolutional network with one $K \times K$ convolution layer of stride 1, find the width
#    of the receptive field.
# 2. For an input $I \in \mathbb{R}^{M \times N}$ and a kernel $K \in \mathbb{R}^{F \times F}$, show
#    that the output of the dilated operator is $(M - DF + D) \times (N - DF + D)$; $D$ is the
#    dilation factor.
# 3. Show that the dilated convolution equals a convolution with the dilated kernel
#    $K' = K \otimes A$ ($\otimes$ is the Kronecker product), and give the matrix $A$. Careful:
#    $K \otimes A$ is $DF \times DF$ — state how its trailing zero rows/columns relate to the output size.
#
# *Optional extension (no points):* the receptive field of one layer with dilation $D$, and of $L$
# such layers stacked.
#
# **Code.** Indices start at 0, $m, n = 0, \dots, F-1$; no kernel flip.
# * `receptive_field(kernel, dilation=1, layers=1)` — the receptive-field width in pixels (per
#   axis) of `layers` stacked stride-1 convolutions with a `kernel`×`kernel` kernel and dilation
#   `dilation`. Part 1 is `receptive_field(K)`; other values of `dilation` and `layers` are the
#   optional extension.
# * `dilated_output_size(M, N, F, D)` — the output size `(rows, cols)`.
# * `dilation_matrix(D)` — your $A \in \mathbb{R}^{D \times D}$. The grader builds
#   `np.kron(K, A)`, runs an ordinary valid convolution with it over $I$ zero-padded by $D - 1$
#   rows at the bottom and $D - 1$ columns at the right, and compares with the dilated convolution.
# * `dilated_conv2d(I, K, D)` — the dilated convolution of the definition above (valid positions only).


# %% [markdown] lang="fa"
# کانولوشن متسع (dilated) راهی برای بزرگ کردن **میدان پذیرش** شبکه‌های کانولوشنی است (تعریف بالا؛ خروجی
# فقط در جاهایی محاسبه می‌شود که کرنل کاملاً روی تصویر قرار دارد).
#
# ۱. در یک شبکهٔ کانولوشنی با یک لایهٔ کانولوشن $K \times K$ و گام ۱، عرض میدان پذیرش را بیابید.
#
# ۲. برای ورودی $I \in \mathbb{R}^{M \times N}$ و کرنل $K \in \mathbb{R}^{F \times F}$ نشان دهید ابعاد خروجی
# $(M - DF + D) \times (N - DF + D)$ است.
#
# ۳. نشان دهید کانولوشن متسع با کانولوشن معمولی با کرنل $K' = K \otimes A$ (ضرب کرونکر) برابر است و ماتریس $A$
# را بیابید. دقت کنید که $K \otimes A$ ابعاد $DF \times DF$ دارد.
#
# *بخش اختیاری (بدون نمره):* میدان پذیرش یک لایه با ضریب اتساع $D$ و میدان پذیرش $L$ لایهٔ پشت سر هم.
#
# **کد.** توابع `receptive_field`، `dilated_output_size`، `dilation_matrix` و `dilated_conv2d` را همان‌طور که در
# بخش **Code** بالا آمده پیاده‌سازی کنید.


# %%
def receptive_field(kernel, dilation=1, layers=1):
    """Receptive-field width (pixels per axis) of `layers` stacked stride-1 dilated convolutions."""
    # SOLUTION FROM reference.hw4.q4_dilated.receptive_field


# %%
def dilated_output_size(M, N, F, D):
    """(rows, cols) of the valid dilated convolution of an M x N image with an F x F kernel."""
    # SOLUTION FROM reference.hw4.q4_dilated.dilated_output_size


# %%
def dilation_matrix(D):
    """A (D x D) with K' = kron(K, A): K(m, n) lands at (D m, D n), zeros everywhere else."""
    # SOLUTION FROM reference.hw4.q4_dilated.dilation_matrix


# %%
def dilated_conv2d(I, K, D):
    """(K *_D I)(i, j) = sum_{m, n} K(m, n) I(i + D m, j + D n) at every fully overlapping (i, j)."""
    # SOLUTION FROM reference.hw4.q4_dilated.dilated_conv2d


# %%
# Check: torch's dilated conv2d, the output size, and the Kronecker kernel with padding.
rng = np.random.default_rng(2)
I, K, D = rng.standard_normal((9, 11)), rng.standard_normal((3, 3)), 2
ours = dilated_conv2d(I, K, D)
by_torch = F.conv2d(torch.from_numpy(I)[None, None], torch.from_numpy(K)[None, None], dilation=D)[0, 0].numpy()
print("matches torch:", np.allclose(ours, by_torch), "| size", ours.shape, "=", dilated_output_size(9, 11, 3, D))

K_prime = np.kron(K, dilation_matrix(D))
padded = np.pad(I, ((0, D - 1), (0, D - 1)))
print("K' = K ⊗ A reproduces it:", np.allclose(dilated_conv2d(padded, K_prime, 1), ours))
print("receptive fields (K=3): D=1:", receptive_field(3), " D=2:", receptive_field(3, 2), " D=2, 3 layers:", receptive_field(3, 2, 3))


# %% [markdown] answer="q4"
# *1. Receptive field.* Each output of a $K \times K$ stride-1 convolution is computed from one
# $K \times K$ window of the input, and from nothing else: the receptive field is $K \times K$,
# its width is $K$ pixels.
#
# *Optional extension.* With dilation $D$ the taps are $0, D, \dots, D(K-1)$: width $D(K-1) + 1$.
# Each further stride-1 layer widens it by $D(K-1)$, so $L$ layers see $1 + L\,D\,(K-1)$ pixels
# (e.g. $K=3$: $3$; $D=2$: $5$; three layers with $D=2$: $13$). Exponentially growing dilations
# ($D = 1, 2, 4, \dots$) give exponential growth with linearly many parameters.
#
# *2. Output size.* Output row $i$ reads rows $i, i + D, \dots, i + D(F-1)$; it is valid iff
# $0 \le i$ and $i + D(F-1) \le M - 1$, i.e. $i = 0, \dots, M - 1 - D(F-1)$: that is
# $M - D(F-1) = M - DF + D$ rows; likewise $N - DF + D$ columns.
#
# *3. Kronecker form.* Take $A = e_1 e_1^\top \in \mathbb{R}^{D \times D}$ (a single 1 at the top-left,
# zeros elsewhere). $(K \otimes A)_{Dm + r,\, Dn + s} = K(m, n) A_{rs}$, so $K' = K \otimes A$ holds
# $K(m, n)$ at $(Dm, Dn)$ and zeros in between: the dilated kernel, followed by $D - 1$ extra zero
# rows and columns at the bottom/right. An ordinary convolution with $K'$ gives
# $\sum_{m,n} K(m, n)\, I(i + Dm, j + Dn)$ — the dilated convolution. Because $K'$ is $DF \times DF$,
# a *valid* ordinary convolution with it has only $M - DF + 1$ rows, $D - 1$ fewer than
# $M - DF + D$: the trailing zero rows would hang past the image. They multiply nothing, so either
# drop them (kernel $(D(F-1)+1)^2$) or zero-pad the image by $D - 1$ rows/columns at the
# bottom/right; then the results agree entry for entry.

# %% [markdown] heading="q5"
# CNNs are a basic element of most face recognition systems: they extract and learn features
# automatically and are robust to variations. Here we classify facial expressions from images.
# The data: 1,200 images sampled from each class of **AffectNet** (450,000 face images,
# 8 expressions), in folders `Train/<class>/` and `Validation/<class>/`.
#
# For **every training** below report: the loss and accuracy curves on the training and the
# validation data; coloured confusion matrices with their numbers (on the training and the
# validation data); and the full recipe — loss, optimiser and its settings, architecture, number
# of epochs, batch size, the statistics of each split, and the preprocessing.
#
# 1. **(a) Preprocessing and augmentation.** Show three samples of each class. Normalise all
#    images to $[0, 1]$. Augment the data with suitable transformations: which ones suit this
#    problem and why is augmentation needed here? Show three augmented samples of each class and
#    report the number of samples before and after augmentation.
# 2. **(b) Transfer learning.** Using the pretrained **VGG16**, train a facial expression
#    classifier on the `Train` folder (any head; freezing the convolutional layers or fine-tuning
#    them is your choice). Plot the loss and accuracy during training, and report the ROC curves
#    and the confusion matrix on the `Validation` folder.
# 3. **(c) Lightweight VGG.** Pretrained networks are heavy for mobile devices; the paper proposes
#    lightweight versions of AlexNet, VGG and MobileNet. Implement its VGG (table below), train it,
#    plot loss and accuracy, test it on `Validation` (ROC, confusion matrix), and compare its
#    number of parameters and its performance with the model of (b).
#
#    | Type | Shape | Output |
#    |---|---|---|
#    | 2×Conv | 3×3×16 | 128×128×16 |
#    | MaxPool | 2×2 | 64×64×16 |
#    | 2×Conv | 3×3×32 | 64×64×32 |
#    | MaxPool | 2×2 | 32×32×32 |
#    | 2×Conv | 3×3×64 | 32×32×64 |
#    | MaxPool | 2×2 | 16×16×64 |
#    | 2×Conv | 3×3×128 | 16×16×128 |
#    | MaxPool | 2×2 | 8×8×128 |
#    | 2×Conv | 3×3×128 | 8×8×128 |
#    | MaxPool | 2×2 | 4×4×128 |
#    | Flatten | 2048 | – |
#    | 2×Dense | 1024 | – |
#    | Dense | 8 or 2 | 1 label or 2 floats |
# 4. **(d) Class activation maps.** What do class activation maps (CAM) offer for improving CNNs?
#    For two misclassified and two correctly classified samples of each class, compute the class
#    activation map of the model of (c), analyse them and propose a way to improve that network.
#    The lightweight VGG has no global average pooling, so Grad-CAM (the generalisation of CAM to
#    any head) is the natural choice; a CAM of another kind is accepted as well.
#
# **What the grader uses** (PyTorch; keep these names):
# * the data folder is `os.environ.get("AFFECTNET_DIR", "AffectNet")`; labels are the indices of
#   the class folders in **sorted** order (the `torchvision.datasets.ImageFolder` convention);
# * (a) `x_train` holds every `Train` image as float32 `[N, 128, 128, 3]` (NHWC) in $[0, 1]$;
#   `augment(images, rng)` returns one augmented copy of each image of such an array (`rng` is
#   a `numpy.random.Generator`), same shape, values in $[0, 1]$;
# * (b) `build_vgg16_transfer(n_classes=8, pretrained=True)` returns your transfer-learning model:
#   VGG16's thirteen convolutions followed by a head of your choice with `n_classes` outputs (the
#   grader builds it with `pretrained=False` and feeds it `[N, 3, 128, 128]` images);
# * (c) `build_lightweight_vgg(n_classes=8)` returns a new, untrained lightweight VGG (a
#   `torch.nn.Module`); `model` is your **trained** lightweight VGG; `predict_proba(images)` takes
#   float32 images `[N, 128, 128, 3]` in $[0, 1]$ (NHWC) and returns an `[N, 8]` array of class
#   probabilities from `model`; the grader measures accuracy and macro AUC on hidden images;
# * (d) `class_activation_map(image, class_index)` takes one `[128, 128, 3]` image and returns
#   its class activation map for that class from `model`: a `[128, 128]` array with values in
#   $[0, 1]$ and maximum 1 (scale the upsampled map: divide by its maximum, or min–max scale).
#
# The grader re-runs this notebook on a CPU with a small version of the data (8 classes × 24
# training images), so keep training short there (the cell below picks the number of epochs
# from the size of the data).


# %% [markdown] lang="fa"
# شبکه‌های کانولوشنی جزء اصلی بیشتر سامانه‌های بازشناسی چهره‌اند. در اینجا حالت چهره را از روی تصویر
# دسته‌بندی می‌کنیم. داده‌ها: ۱۲۰۰ تصویر از هر کلاس **AffectNet** (۸ حالت چهره) در پوشه‌های `Train/<class>/` و
# `Validation/<class>/`.
#
# برای **هر آموزش** گزارش دهید: نمودار خطا و دقت روی داده‌های آموزش و اعتبارسنجی؛ ماتریس‌های درهم‌ریختگی رنگی
# همراه با اعداد (روی داده‌های آموزش و اعتبارسنجی)؛ و دستور کامل آموزش — تابع خطا، بهینه‌ساز و تنظیمات آن، معماری،
# تعداد epochها، اندازهٔ batch، آمار هر بخش از داده‌ها و پیش‌پردازش.
#
# ۱. **(الف) پیش‌پردازش و داده‌افزایی.** سه نمونه از هر کلاس نشان دهید، تصاویر را به بازهٔ $[0, 1]$ نرمال کنید و با
# تبدیل‌های مناسب داده‌افزایی کنید: کدام تبدیل‌ها مناسب این مسئله‌اند و چرا داده‌افزایی لازم است؟ سه نمونهٔ
# افزوده از هر کلاس نشان دهید و تعداد نمونه‌ها را پیش و پس از داده‌افزایی گزارش کنید.
#
# ۲. **(ب) یادگیری انتقالی.** با VGG16 از پیش آموزش‌دیده یک دسته‌بند حالت چهره روی پوشهٔ `Train` آموزش دهید (لایهٔ
# خروجی دلخواه؛ منجمد کردن لایه‌های کانولوشنی یا تنظیم دقیق آن‌ها به انتخاب شماست)؛ نمودار خطا و دقت را رسم کنید و
# نمودار ROC و ماتریس درهم‌ریختگی را روی `Validation` گزارش کنید.
#
# ۳. **(ج) شبکهٔ VGG سبک.** شبکهٔ VGG مقاله (جدول بالا) را پیاده‌سازی و آموزش دهید، نمودارها، ROC و ماتریس
# درهم‌ریختگی را گزارش کنید و تعداد پارامترها و عملکرد آن را با مدل بخش (ب) مقایسه کنید.
#
# ۴. **(د) نقشه‌های فعال‌سازی کلاس.** CAM چه کمکی به بهبود شبکه‌های کانولوشنی می‌کند؟ برای دو نمونهٔ اشتباه و دو
# نمونهٔ درست از هر کلاس، نقشهٔ فعال‌سازی کلاس را با مدل بخش (ج) محاسبه و تحلیل کنید و راهی برای بهبود شبکه پیشنهاد
# دهید. شبکهٔ VGG سبک لایهٔ global average pooling ندارد، پس Grad-CAM (تعمیم CAM به هر نوع لایهٔ خروجی) انتخاب
# طبیعی است؛ انواع دیگر CAM هم پذیرفته می‌شوند.
#
# نام‌هایی که تصحیح‌گر استفاده می‌کند (`x_train`، `augment`، `build_vgg16_transfer`، `build_lightweight_vgg`، `model`،
# `predict_proba`، `class_activation_map`) در بخش **What the grader uses** بالا آمده‌اند.


# %%
from dataclasses import dataclass

import matplotlib.pyplot as plt
import torch.nn as nn
from PIL import Image

DATA_DIR = os.environ.get("AFFECTNET_DIR", "AffectNet")
DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
IMAGE_SIZE = 128  # the lightweight VGG's input side
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


def load_split(folder):
    """(images float32 [N, 128, 128, 3] in [0, 1], labels int64 [N], class names) of folder/<class>/*."""
    # BEGIN SOLUTION
    # Not reference.hw4.q5_preprocessing (the engine's image-folder loader, which a kernel
    # cannot import): the same folder convention, written out.
    class_names = sorted(d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d)) and not d.startswith("."))
    images, labels = [], []
    for label, name in enumerate(class_names):
        for file in sorted(os.listdir(os.path.join(folder, name))):
            if not file.lower().endswith(IMAGE_SUFFIXES):
                continue
            with Image.open(os.path.join(folder, name, file)) as image:
                rgb = image.convert("RGB").resize((IMAGE_SIZE, IMAGE_SIZE), Image.Resampling.BILINEAR)
            images.append(np.asarray(rgb, dtype=np.float32) / 255.0)  # [0, 255] -> [0, 1]
            labels.append(label)
    return np.stack(images), np.asarray(labels, dtype=np.int64), class_names
    # END SOLUTION


x_train, y_train, class_names = load_split(os.path.join(DATA_DIR, "Train"))
x_val, y_val, _ = load_split(os.path.join(DATA_DIR, "Validation"))
print(f"train {x_train.shape}, validation {x_val.shape}, classes {class_names}")


# %%
def augment(images, rng):
    """One augmented copy of every image (NHWC in [0, 1]): random mirror and shift."""
    # BEGIN SOLUTION
    # Simpler than reference.hw4.q5_augmentation (flips, shifts and rotations through
    # torch's affine grids): mirror and shift in NumPy, enough for the small data.
    margin = IMAGE_SIZE // 10  # shift by up to 10% of the side
    out = np.empty_like(images)
    for i, image in enumerate(images):
        if rng.random() < 0.5:
            image = image[:, ::-1]  # a mirrored face shows the same expression
        dy, dx = rng.integers(-margin, margin + 1, size=2)
        # faces are not perfectly centred in their crops: shift, repeating the border pixels
        padded = np.pad(image, ((margin, margin), (margin, margin), (0, 0)), mode="edge")
        out[i] = padded[margin + dy : margin + dy + IMAGE_SIZE, margin + dx : margin + dx + IMAGE_SIZE]
    return out
    # END SOLUTION


def show_per_class(images, labels, title, per_class=3):
    figure, axes = plt.subplots(per_class, len(class_names), figsize=(2 * len(class_names), 2 * per_class))
    for k, name in enumerate(class_names):
        for row, index in enumerate(np.flatnonzero(labels == k)[:per_class]):
            axes[row, k].imshow(images[index])
            axes[row, k].set_title(name if row == 0 else "")
    for axis in axes.flat:
        axis.axis("off")
    figure.suptitle(title)
    plt.show()
    plt.close(figure)


show_per_class(x_train, y_train, "three training images per class")
x_augmented = augment(x_train, np.random.default_rng(0))
show_per_class(x_augmented, y_train, "their augmented copies")
x_train_aug = np.concatenate([x_train, x_augmented])
y_train_aug = np.concatenate([y_train, y_train])
print(f"training images before augmentation: {len(x_train)}, after: {len(x_train_aug)}")


# %%
@dataclass(frozen=True)
class TrainConfig:
    epochs: int
    batch_size: int = 32  # images per Adam step
    learning_rate: float = 5e-4  # Adam; of 1e-3, 5e-4 and 3e-4 this learnt fastest on the small data
    seed: int = 0  # shuffling order


def evaluate(net, images, labels, batch_size=64):
    """(mean cross-entropy, accuracy) of net on NHWC images."""
    net.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            batch = torch.as_tensor(images[start : start + batch_size]).permute(0, 3, 1, 2).to(DEVICE)
            target = torch.as_tensor(labels[start : start + batch_size]).to(DEVICE)
            logits = net(batch)
            total_loss += F.cross_entropy(logits, target, reduction="sum").item()
            correct += (logits.argmax(dim=1) == target).sum().item()
    return total_loss / len(images), correct / len(images)


def train(net, x, y, config):
    """Adam on the trainable parameters, cross-entropy; returns per-epoch train/validation curves."""
    # BEGIN SOLUTION
    # Not reference.hw4.q5_training.train (hold-out split, History dataclass): the
    # question's recipe with the curves as a dict, validating on Validation.
    torch.manual_seed(config.seed)
    optimiser = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=config.learning_rate)
    images, targets = torch.as_tensor(x).permute(0, 3, 1, 2), torch.as_tensor(y)
    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    for epoch in range(config.epochs):
        net.train()
        order = torch.randperm(len(images))
        total_loss, correct = 0.0, 0
        for start in range(0, len(images), config.batch_size):
            index = order[start : start + config.batch_size]
            batch, target = images[index].to(DEVICE), targets[index].to(DEVICE)
            logits = net(batch)
            loss = F.cross_entropy(logits, target)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total_loss += loss.item() * len(index)
            correct += (logits.argmax(dim=1) == target).sum().item()
        val_loss, val_accuracy = evaluate(net, x_val, y_val)
        history["loss"].append(total_loss / len(images))
        history["accuracy"].append(correct / len(images))
        history["val_loss"].append(val_loss)
        history["val_accuracy"].append(val_accuracy)
        print(f"epoch {epoch + 1}/{config.epochs}: loss {history['loss'][-1]:.3f}, "
              f"accuracy {history['accuracy'][-1]:.3f}, validation accuracy {val_accuracy:.3f}")
    return history
    # END SOLUTION


def plot_history(history, title):
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
    for key in ("loss", "val_loss"):
        left.plot(history[key], label=key)
    for key in ("accuracy", "val_accuracy"):
        right.plot(history[key], label=key)
    for axis, name in ((left, "cross-entropy"), (right, "accuracy")):
        axis.set_xlabel("epoch")
        axis.set_ylabel(name)
        axis.legend()
    figure.suptitle(title)
    plt.show()
    plt.close(figure)


def print_recipe(title, net, config):
    """The full recipe of one training, as the handout asks for every training."""
    trained = sum(p.numel() for p in net.parameters() if p.requires_grad)
    print(f"{title}: cross-entropy loss, Adam (learning rate {config.learning_rate}, betas (0.9, 0.999), no weight "
          f"decay) on {trained:,} trainable parameters; {config.epochs} epochs, batch size {config.batch_size}")
    for split, labels in (("train (augmented)", y_train_aug), ("validation", y_val)):
        counts = ", ".join(f"{name} {count}" for name, count in zip(class_names, np.bincount(labels, minlength=len(class_names))))
        print(f"  {split}: {len(labels)} images ({counts})")
    print("  preprocessing: RGB, resized to 128x128, scaled to [0, 1]; augmentation: one mirrored/shifted copy of each image")


# The small grader data (192 images, 384 augmented) is learnt in 4 epochs (about half a minute on
# one CPU core); the real 9,600 images (19,200 augmented) need more passes, on a GPU.
EPOCHS = 4 if len(x_train) < 1000 else 20


# %%
from torchvision.models import VGG16_Weights, vgg16


class ImageNetStandardise(nn.Module):
    """(x - mean) / std with ImageNet's statistics: the input the pretrained weights expect."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, x):
        return (x - self.mean) / self.std


def build_vgg16_transfer(n_classes=8, pretrained=True):
    """VGG16's convolutions (ImageNet's weights when pretrained) and a head with n_classes outputs."""
    # BEGIN SOLUTION
    vgg = vgg16(weights=VGG16_Weights.IMAGENET1K_V1 if pretrained else None)
    # keep the ImageNet features, train VGG16's own dense layers with a new last layer
    # (fine-tuning the convolutions as well is the other choice, slower on few data)
    vgg.features.requires_grad_(False)
    vgg.classifier[-1] = nn.Linear(vgg.classifier[-1].in_features, n_classes)
    return nn.Sequential(ImageNetStandardise(), vgg)
    # END SOLUTION


def run_vgg16_transfer():
    """Fine-tune VGG16 where that is possible: a GPU, and the ImageNet weights (a 528 MB download)."""
    if not torch.cuda.is_available():
        print("VGG16 transfer learning skipped: 134 M parameters need a GPU")
        return None
    try:
        net = build_vgg16_transfer().to(DEVICE)
    except OSError as error:  # offline (as in the grader): the weights cannot be downloaded
        print(f"VGG16 transfer learning skipped: no pretrained weights ({error})")
        return None
    config = TrainConfig(epochs=EPOCHS, learning_rate=1e-4)
    history = train(net, x_train_aug, y_train_aug, config)
    plot_history(history, "VGG16 transfer learning")
    print_recipe("VGG16 transfer learning", net, config)
    return net


vgg16_model = run_vgg16_transfer()
with torch.device("meta"):  # shapes only: counts the parameters without allocating 134 M of them
    vgg16_shapes = build_vgg16_transfer(pretrained=False)
vgg16_trainable = sum(p.numel() for p in vgg16_shapes.parameters() if p.requires_grad)
vgg16_total = sum(p.numel() for p in vgg16_shapes.parameters())
print(f"VGG16 transfer: {vgg16_total:,} parameters, {vgg16_trainable:,} of them trained")


# %%
class LightweightVGG(nn.Module):
    """The paper's VGG: five blocks of two 3x3 convs (16, 32, 64, 128, 128) + 2x2 max-pool,
    flatten (4 * 4 * 128 = 2048), dense 1024, dense 1024, dense n_classes."""

    def __init__(self, n_classes=8):
        super().__init__()
        # BEGIN SOLUTION
        # Not reference.hw4.q5_models.LightweightVGG (ConvBlock modules in `blocks`, a dropout option):
        # the same layers and He initialisation in one class, named like torchvision's VGG
        # (`features`, `classifier`), which class_activation_map below reads.
        layers, channels = [], 3
        for width in (16, 32, 64, 128, 128):
            layers += [
                nn.Conv2d(channels, width, 3, padding=1), nn.ReLU(),
                nn.Conv2d(width, width, 3, padding=1), nn.ReLU(),
                nn.MaxPool2d(2),
            ]
            channels = width
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(4 * 4 * 128, 1024), nn.ReLU(),
            nn.Linear(1024, 1024), nn.ReLU(),
            nn.Linear(1024, n_classes),
        )
        # He initialisation: without batch norm, PyTorch's default scale shrinks the signal
        # through the 13 layers and training stalls at the start.
        for module in self.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
                nn.init.zeros_(module.bias)
        # END SOLUTION

    def forward(self, x):
        # BEGIN SOLUTION
        return self.classifier(self.features(x))
        # END SOLUTION


def build_lightweight_vgg(n_classes=8):
    return LightweightVGG(n_classes).to(DEVICE)


torch.manual_seed(0)
model = build_lightweight_vgg()
n_parameters = sum(p.numel() for p in model.parameters())
print(f"lightweight VGG: {n_parameters:,} parameters")
lightweight_config = TrainConfig(epochs=EPOCHS)
history = train(model, x_train_aug, y_train_aug, lightweight_config)
plot_history(history, "lightweight VGG")
print_recipe("lightweight VGG (the table above, He initialisation)", model, lightweight_config)


# %%
print(f"VGG16 transfer: {vgg16_total:,} parameters, lightweight VGG: {n_parameters:,} ({vgg16_total / n_parameters:.0f}x fewer)")


# %%
from sklearn.metrics import confusion_matrix, roc_auc_score, roc_curve


def predict_proba(images, batch_size=64):
    """Class probabilities [N, 8] of `model` for float32 NHWC images in [0, 1]."""
    # BEGIN SOLUTION
    model.eval()
    outputs = []
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            batch = torch.as_tensor(np.asarray(images[start : start + batch_size], dtype=np.float32))
            logits = model(batch.permute(0, 3, 1, 2).to(DEVICE))
            outputs.append(torch.softmax(logits, dim=1).cpu().numpy())
    return np.concatenate(outputs)
    # END SOLUTION


def report(probabilities, labels, title):
    """Accuracy, macro AUC, one-vs-rest ROC curves and the confusion matrix."""
    predicted = probabilities.argmax(axis=1)
    print(f"{title}: accuracy {np.mean(predicted == labels):.3f}, "
          f"macro AUC {roc_auc_score(labels, probabilities, multi_class='ovr'):.3f}")
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    for k, name in enumerate(class_names):
        fpr, tpr, _ = roc_curve(labels == k, probabilities[:, k])
        left.plot(fpr, tpr, label=name)
    left.plot([0, 1], [0, 1], "k--", linewidth=0.5)
    left.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC (one vs rest)")
    left.legend(fontsize=8)
    matrix = confusion_matrix(labels, predicted, labels=range(len(class_names)))
    right.imshow(matrix, cmap="Blues")
    right.set(xticks=range(len(class_names)), yticks=range(len(class_names)), xlabel="predicted", ylabel="true",
              title="confusion matrix")
    right.set_xticklabels(class_names, rotation=45)
    right.set_yticklabels(class_names)
    for (i, j), count in np.ndenumerate(matrix):
        right.text(j, i, count, ha="center", va="center")
    figure.suptitle(title)
    plt.show()
    plt.close(figure)


def vgg16_proba(images, batch_size=64):
    vgg16_model.eval()
    with torch.no_grad():
        logits = torch.cat([vgg16_model(torch.as_tensor(images[s : s + batch_size]).permute(0, 3, 1, 2).to(DEVICE))
                            for s in range(0, len(images), batch_size)])
    return torch.softmax(logits, dim=1).cpu().numpy()


report(predict_proba(x_train), y_train, "lightweight VGG on Train")
val_probabilities = predict_proba(x_val)
report(val_probabilities, y_val, "lightweight VGG on Validation")
if vgg16_model is not None:
    report(vgg16_proba(x_train), y_train, "VGG16 transfer on Train")
    report(vgg16_proba(x_val), y_val, "VGG16 transfer on Validation")


# %%
def class_activation_map(image, class_index):
    """The class activation map of `model` for one [128, 128, 3] image: a [128, 128] map in [0, 1]."""
    # BEGIN SOLUTION
    # Grad-CAM (Selvaraju et al. 2017), not reference.hw4.q5_cam.grad_cam (hooks, a batch of
    # images, any layer): one image and the lightweight VGG's last conv block, as the question asks.
    model.eval()
    x = torch.as_tensor(np.asarray(image, dtype=np.float32)).permute(2, 0, 1)[None].to(DEVICE)
    feature_maps = model.features[:-1](x)  # the last conv block's ReLU output, [1, 128, 8, 8]
    score = model.classifier(model.features[-1](feature_maps))[0, int(class_index)]
    (gradient,) = torch.autograd.grad(score, feature_maps)
    weights = gradient.mean(dim=(2, 3), keepdim=True)  # how much each map raises the class score
    cam = F.relu((weights * feature_maps).sum(dim=1, keepdim=True))  # keep evidence *for* the class
    cam = F.interpolate(cam, size=x.shape[-2:], mode="bilinear", align_corners=False)[0, 0]
    peak = cam.max()
    return (cam / peak if peak > 0 else cam).detach().cpu().numpy()
    # END SOLUTION


predicted = val_probabilities.argmax(axis=1)
figure, axes = plt.subplots(len(class_names), 4, figsize=(8, 2 * len(class_names)))
for k, name in enumerate(class_names):
    wrong = np.flatnonzero((y_val == k) & (predicted != k))[:2]
    right = np.flatnonzero((y_val == k) & (predicted == k))[:2]
    for column, index in enumerate([*wrong, *right][:4]):
        axes[k, column].imshow(x_val[index])
        axes[k, column].imshow(class_activation_map(x_val[index], predicted[index]), cmap="jet", alpha=0.4)
        axes[k, column].set_title(f"{name} -> {class_names[predicted[index]]}", fontsize=7)
for axis in axes.flat:
    axis.axis("off")
plt.show()
plt.close(figure)


# %% [markdown] answer="q5"
# *(a) Augmentation.* Horizontal mirroring (a mirrored face shows the same expression) and small
# shifts (faces are not perfectly centred in the crops); small rotations and zooms, and mild
# brightness changes, would also fit (tilted heads, framing, lighting). Vertical flips do not
# (upside-down faces never occur), nor do strong colour changes or crops that cut away the mouth
# or the eyes. Augmentation is needed because 1,200 images per class are few for a network with
# millions of parameters: without it the network memorises the training images. Counts: each
# training image plus one augmented copy, so the training set doubles (9,600 → 19,200 on the real
# data; the printed counts above for this run).
#
# *(b), (c) Transfer learning vs the lightweight VGG.* VGG16 has about 134 M parameters (about 120 M
# trained here, the frozen convolutions 14.7 M); the lightweight VGG has 3,744,664 — about 36 times
# fewer, and its 128×128 input costs far less computation, which is what makes it usable on a
# phone. Pretrained ImageNet features usually reach a higher accuracy sooner on few data; the
# lightweight network, trained from scratch, needs more epochs and augmentation to approach it.
# The curves show where the training and validation accuracies part (overfitting); the confusion
# matrices show which expressions are confused (on AffectNet typically contempt/disgust with anger
# and neutral, fear with surprise), and the ROC curves/AUC per class rank how separable each
# expression is. The printed recipes give loss, optimiser, epochs, batch size, splits and
# preprocessing of each training.
#
# *(d) Class activation maps.* A CAM shows which image regions raise a class score, so it tells
# whether the network decides for the right reasons: it exposes shortcuts (background, hair,
# borders, watermarks), explains errors, and guides changes to the data and the architecture.
# The lightweight VGG has no global average pooling, so Grad-CAM is used (for a network with GAP
# and one dense layer it equals the original CAM up to a factor). For correct predictions the map
# should lie on the mouth, eyes and brows; for errors it often lies on the background, the hair or
# the image borders, or on a region two expressions share. Improvements it suggests: face
# alignment and crops, rotations and more augmentation when the network looks outside the face;
# more data or class weights for the confused minority expressions; and regularisation (dropout,
# batch normalisation, global average pooling in place of the 2,048×1,024 dense layer, which holds
# most of the parameters — this also makes true CAMs possible) when it overfits.
