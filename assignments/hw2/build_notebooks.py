"""Build hw2's notebooks and demo submissions from one source of truth: the cells below.

    .venv/bin/python assignments/hw2/build_notebooks.py

writes, next to this file,
  student.ipynb                      question text + stubs that raise NotImplementedError
  solution.ipynb                     the same cells filled in (self-contained: the grader's
                                     kernel cannot import `reference`)
  submissions/solution_demo.ipynb    = solution
  submissions/partly_wrong.ipynb     q2 Xavier bound taken as the standard deviation, q3 L2
                                     pooling as a root-mean-square, q6 confusion matrix transposed;
                                     the rest right
  submissions/raises_errors.ipynb    q4 cross-entropy gradient hits a NameError, q5 LeakyReLU
                                     derivative left a stub
  submissions/not_json.ipynb         the solution cut in half: not valid JSON

Question 1 of the homework has no surviving text (the seed's "Exercise 1" is empty); the notebook
keeps the numbering, so its questions are 2-6, and assignment.toml has no q1.

Solution markers and the build itself: see `graders.authoring`.
"""

from pathlib import Path

from graders.authoring import ANSWER_SLOT, Cell, code, markdown, replace, write_assignment

HERE = Path(__file__).resolve().parent

# ==================================================================================== intro

INTRO = markdown("intro", r"""
# Neural networks — homework 2 · تمرین دوم شبکه عصبی

Questions 2–5 are short theory questions with small programming parts (initialisation, pooling,
loss functions, activations); question 6 is a CIFAR-10 project with PyTorch. Question 1 of the
original homework has no surviving text: the numbering is kept, so the first question here is 2.

**How this notebook is graded.** The grader runs the whole notebook from top to bottom in a
fresh kernel (offline, CPU, a time limit per cell), then calls the functions you define here
*by name* on hidden inputs and compares the results with its own reference. So:
* keep every function's **name and signature** as given, and return what its docstring says;
* replace each `raise NotImplementedError` with your code (helper functions are welcome);
* written answers go in the cells marked **Your answer**; a TA grades them by hand.

`grade check assignments/hw2 my_notebook.ipynb` runs the public checks on your own machine.
""")

SETUP = code("setup", r"""
import os
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
""")

# ==================================================================================== q2

Q2_TEXT = markdown("q2.text", r"""
## Question 2 — Symmetry breaking and initialisation · سوال دوم: شکست تقارن و مقداردهی اولیه وزن‌ها

What is **symmetry breaking**? Why must the weights of a neural network not be initialised to
zero, or all to one constant? What goes wrong when random weights are too small or too large,
and how does **Xavier (Glorot) initialisation** help?

**Code** (NumPy):
* `xavier_uniform(fan_in, fan_out, shape, seed)` — an array of the given `shape` drawn from
  $U(-b, b)$ with $b = \sqrt{6 / (\text{fan\_in} + \text{fan\_out})}$, using
  `np.random.default_rng(seed)` (the same seed gives the same array). Its variance is
  $b^2/3 = 2/(\text{fan\_in} + \text{fan\_out})$. The grader checks the bound, the variance
  and the mean of your samples, and reproducibility.
* `is_symmetric_after_training(init, steps, seed)` — an experiment: build a one-hidden-layer MLP
  $\hat y = \tanh(x W_1 + b_1) W_2 + b_2$ (a few inputs, **several** hidden units, a few outputs)
  with every weight and bias initialised by `init`:
  `"constant"` (all entries the same non-zero value), `"zeros"`, or `"random"` (Xavier uniform
  weights, zero biases); train it for `steps` full-batch gradient-descent steps on the mean
  squared error of random regression data drawn from `seed`; return `True` if all hidden units
  are still identical (same incoming weights, bias and outgoing weights, up to $10^{-10}$), else
  `False`.

Then show, for a deep tanh MLP, the variance of each layer's activations under too small
($\sigma = 0.01$), too large ($\sigma = 1$) and Xavier initialisation.
""")

Q2_XAVIER = code("q2.xavier", r'''
def xavier_uniform(fan_in, fan_out, shape, seed):
    """Samples of `shape` from U(-b, b), b = sqrt(6 / (fan_in + fan_out)), seeded by `seed`."""
    # BEGIN SOLUTION
    bound = np.sqrt(6.0 / (fan_in + fan_out))
    return np.random.default_rng(seed).uniform(-bound, bound, size=tuple(shape))
    # END SOLUTION
''')

Q2_SYMMETRY = code("q2.symmetry", r'''
def init_mlp(init, sizes, rng):
    """Parameters w1 [n_in, n_hidden], b1, w2 [n_hidden, n_out], b2 of the MLP, all by `init`."""
    # BEGIN SOLUTION
    n_in, n_hidden, n_out = sizes
    shapes = {"w1": (n_in, n_hidden), "b1": (n_hidden,), "w2": (n_hidden, n_out), "b2": (n_out,)}
    if init == "constant":
        return {name: np.full(shape, 0.5) for name, shape in shapes.items()}
    if init == "zeros":
        return {name: np.zeros(shape) for name, shape in shapes.items()}
    if init == "random":
        seeds = rng.integers(2**31, size=2)
        return {
            "w1": xavier_uniform(n_in, n_hidden, shapes["w1"], int(seeds[0])),
            "b1": np.zeros(n_hidden),  # zero biases are fine: the weights already differ
            "w2": xavier_uniform(n_hidden, n_out, shapes["w2"], int(seeds[1])),
            "b2": np.zeros(n_out),
        }
    raise ValueError(f"unknown init {init!r}")
    # END SOLUTION


def gradient_step(p, x, y, lr):
    """One full-batch gradient-descent step on mean((tanh(x w1 + b1) w2 + b2 - y)^2)."""
    # BEGIN SOLUTION
    hidden = np.tanh(x @ p["w1"] + p["b1"])
    error = hidden @ p["w2"] + p["b2"] - y
    d_out = 2 * error / error.size
    d_pre = (d_out @ p["w2"].T) * (1 - hidden**2)  # tanh' = 1 - tanh^2
    grads = {"w1": x.T @ d_pre, "b1": d_pre.sum(0), "w2": hidden.T @ d_out, "b2": d_out.sum(0)}
    return {name: p[name] - lr * grads[name] for name in p}
    # END SOLUTION


def is_symmetric_after_training(init, steps, seed):
    """Are all hidden units still identical after `steps` gradient steps from `init`?"""
    # BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal((32, 4)), rng.standard_normal((32, 2))
    p = init_mlp(init, (4, 8, 2), rng)
    for _ in range(steps):
        p = gradient_step(p, x, y, lr=0.1)
    # identical units: every column of w1 equals the first, likewise b1 and the rows of w2
    same = [np.allclose(p["w1"], p["w1"][:, :1], rtol=0, atol=1e-10),
            np.allclose(p["b1"], p["b1"][0], rtol=0, atol=1e-10),
            np.allclose(p["w2"], p["w2"][:1], rtol=0, atol=1e-10)]
    return bool(all(same))
    # END SOLUTION
''')

Q2_CHECK = code("q2.check", r"""
# Check: Xavier statistics against torch's xavier_uniform_, and the symmetry experiment.
w = xavier_uniform(300, 100, (100, 300), seed=0)
ref = nn.init.xavier_uniform_(torch.empty(100, 300, dtype=torch.float64)).numpy()
print(f"bound {np.sqrt(6 / 400):.4f}: max |w| {np.abs(w).max():.4f} (torch {np.abs(ref).max():.4f}), "
      f"variance {w.var():.5f} (torch {ref.var():.5f}, 2/(fan_in+fan_out) = {2 / 400:.5f})")
for init in ("constant", "zeros", "random"):
    print(f"{init:>8}: hidden units identical after 100 steps? {is_symmetric_after_training(init, 100, seed=0)}")

# Activation variance per layer of a 10-layer tanh MLP, width 256.
rng = np.random.default_rng(0)
x0 = rng.standard_normal((512, 256))
figure, axis = plt.subplots(figsize=(6, 3.5))
for name, draw in [("small (std 0.01)", lambda s: 0.01 * rng.standard_normal((256, 256))),
                   ("large (std 1)", lambda s: rng.standard_normal((256, 256))),
                   ("Xavier", lambda s: xavier_uniform(256, 256, (256, 256), s))]:
    h, variances = x0, []
    for layer in range(10):
        h = np.tanh(h @ draw(layer))
        variances.append(h.var())
    axis.semilogy(range(1, 11), variances, marker="o", label=name)
    print(f"{name:>16}: " + " ".join(f"{v:.2g}" for v in variances))
axis.set(xlabel="layer", ylabel="activation variance", title="deep tanh MLP")
axis.legend()
plt.show()
plt.close(figure)
""")

Q2_ANSWER = markdown("q2.answer", r"""
**Your answer.**

*Symmetry breaking.* If all weights of a layer start equal, every hidden unit computes the same
function of the input, receives the same gradient and is updated identically: the units stay
copies of each other forever (the experiment above: `True` for constant and zero init after any
number of steps), so the layer behaves like a single unit. With zero weights the situation is
worse: the hidden activations and the gradients of the weights are zero, and nothing but the
output bias learns. Random initialisation gives every unit a different starting point — it
*breaks the symmetry* — so the units can learn different features. Biases may stay at zero.

*Scale.* Random is not enough. With weights that are too small, each layer multiplies the
variance of the signal by about $n \sigma^2 \ll 1$: activations (and gradients) shrink
geometrically with depth — vanishing gradients. Too large weights make the pre-activations huge:
tanh/sigmoid saturate at ±1 where their derivative is about 0 (gradients vanish again), and with
unbounded activations the signal and the gradients explode.

*Xavier.* Choose $\operatorname{Var}(W) = 2 / (n_\text{in} + n_\text{out})$, a compromise between
$1/n_\text{in}$ (keeps the variance of the activations constant in the forward pass) and
$1/n_\text{out}$ (keeps the variance of the gradients constant in the backward pass); for the
uniform version $W \sim U(-b, b)$, $b = \sqrt{6 / (n_\text{in} + n_\text{out})}$. The plot shows the
variance staying in a usable range across the 10 layers, while it collapses with small weights
and saturates near 1 with large ones.
""", ANSWER_SLOT)

# ==================================================================================== q3

Q3_TEXT = markdown("q3.text", r"""
## Question 3 — Pooling layers · سوال سوم: انواع لایه pooling

Where is a pooling layer used and why? Explain that it works on every depth slice
independently (the depth is kept), that it has no trainable parameters, what it gains, and
describe **max**, **min**, **L2** and **average** pooling. When should pooling be avoided?

**Code** (NumPy): `pool2d(x, kind, size, stride=None)` pools the **last two axes** of `x` with
`size`×`size` windows moved by `stride` (default: `size`), every leading axis kept (so HW, CHW
and NCHW arrays all work). Only windows that fit entirely are used (no padding): the output has
$\lfloor (H - \text{size}) / \text{stride} \rfloor + 1$ rows (likewise columns). `kind` is one of
* `"max"` — the window's maximum; `"min"` — its minimum;
* `"l2"` — its Frobenius norm $\sqrt{\sum x^2}$ (torch's `lp_pool2d` with $p = 2$);
* `"average"` — its mean.

The grader compares your function with its reference on hidden shapes, sizes and strides
(overlapping windows too).
""")

Q3_CODE = code("q3.code", r'''
def pool2d(x, kind, size, stride=None):
    """Pool the last two axes of x with size x size windows (valid positions only)."""
    # BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    stride = size if stride is None else stride
    rows = (x.shape[-2] - size) // stride + 1
    cols = (x.shape[-1] - size) // stride + 1
    # the (di, dj)-th element of every window at once: a strided slice of x
    taps = np.stack([
        x[..., di : di + stride * (rows - 1) + 1 : stride, dj : dj + stride * (cols - 1) + 1 : stride]
        for di in range(size) for dj in range(size)
    ])
    if kind == "max":
        return taps.max(axis=0)
    if kind == "min":
        return taps.min(axis=0)
    if kind == "l2":
        return np.sqrt((taps**2).sum(axis=0))
    if kind == "average":
        return taps.mean(axis=0)
    raise ValueError(f"unknown pooling kind {kind!r}")
    # END SOLUTION
''')

Q3_CHECK = code("q3.check", r"""
# Check against torch: max_pool2d, -max_pool2d(-x), lp_pool2d(p=2), avg_pool2d.
x = torch.rand(2, 3, 7, 8, dtype=torch.float64)
by_torch = {
    "max": F.max_pool2d(x, 3, 2), "min": -F.max_pool2d(-x, 3, 2),
    "l2": F.lp_pool2d(x, 2, 3, 2), "average": F.avg_pool2d(x, 3, 2),
}
for kind, want in by_torch.items():
    print(f"{kind:>7}: matches torch {np.allclose(pool2d(x.numpy(), kind, 3, 2), want.numpy())}, shape {pool2d(x.numpy(), kind, 3, 2).shape}")
""")

Q3_ANSWER = markdown("q3.answer", r"""
**Your answer.**

A pooling layer usually follows a convolution (and its activation) and shrinks the spatial size
of the feature maps. It slides a window over each depth slice **independently**, so the number of
channels is kept, and it replaces each window by one number computed by a **fixed** rule: it has
**no trainable parameters** (gradients flow through it, but there is nothing in it to update).
Gains: fewer activations, hence fewer parameters and less computation in the layers after it
(less overfitting), a larger receptive field for later layers, and invariance to small shifts and
distortions of the input.

* **Max pooling** keeps the largest value of each window (is the feature present anywhere in it?).
* **Min pooling** keeps the smallest value ($= -\max(-x)$); useful when low values carry the signal.
* **L2 pooling** keeps the Frobenius norm $\sqrt{\sum x^2}$ of the window (an energy; between average and max).
* **Average pooling** keeps the mean of the window (smooths; global average pooling replaces dense heads).

In vision tasks pooling usually helps accuracy; it should be avoided (or replaced by strided
convolutions / kept small) when the exact position or fine detail matters — e.g. segmentation,
localisation, or when the model must be sensitive to small changes of the input.
""", ANSWER_SLOT)

# ==================================================================================== q4

Q4_TEXT = markdown("q4.text", r"""
## Question 4 — Cross-entropy vs MSE for classification · سوال چهارم: آنتروپی متقاطع در برابر MSE برای طبقه‌بندی

Why is cross-entropy a better loss than the mean squared error for classification? Give the
argument from the gradients and the probabilistic one.

**Code** (NumPy). For a sigmoid output $p = \sigma(z)$ with logit $z$ and a target $y \in \{0, 1\}$:
* `mse_sigmoid_logit_grad(z, y)` — $\partial L / \partial z$ for $L = \tfrac12 (\sigma(z) - y)^2$;
* `ce_sigmoid_logit_grad(z, y)` — $\partial L / \partial z$ for
  $L = -[y \log \sigma(z) + (1 - y) \log(1 - \sigma(z))]$.

Both take arrays `z`, `y` of the same shape and return an array of that shape, elementwise.
The grader compares them with autograd-checked references on hidden logits, including
saturated ones ($|z|$ up to 40).
""")

Q4_CODE = code("q4.code", r'''
def sigmoid(z):
    """1 / (1 + exp(-z)) without overflow: exp is only taken of -|z|."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def mse_sigmoid_logit_grad(z, y):
    """d/dz of 1/2 (sigmoid(z) - y)^2."""
    # BEGIN SOLUTION
    p = sigmoid(z)
    return (p - y) * p * (1 - p)  # chain rule: (p - y) times sigmoid'(z) = p (1 - p)
    # END SOLUTION


def ce_sigmoid_logit_grad(z, y):
    """d/dz of the binary cross-entropy of sigmoid(z) with target y."""
    # BEGIN SOLUTION
    return sigmoid(z) - y  # the p (1 - p) of the sigmoid cancels against 1/p and 1/(1 - p)
    # END SOLUTION
''')

Q4_CHECK = code("q4.check", r"""
# Check against autograd, then the gradients at increasingly wrong logits (target 1).
z = torch.linspace(-12, 12, 25, dtype=torch.float64, requires_grad=True)
y = (torch.arange(25) % 2).double()
(mse_auto,) = torch.autograd.grad((0.5 * (torch.sigmoid(z) - y) ** 2).sum(), z)
(ce_auto,) = torch.autograd.grad(F.binary_cross_entropy_with_logits(z, y, reduction="sum"), z)
print("MSE gradient matches autograd:", np.allclose(mse_sigmoid_logit_grad(z.detach().numpy(), y.numpy()), mse_auto.numpy()))
print("CE gradient matches autograd: ", np.allclose(ce_sigmoid_logit_grad(z.detach().numpy(), y.numpy()), ce_auto.numpy()))
for logit in (0.0, -2.0, -5.0, -10.0):
    print(f"z = {logit:>5}: |dMSE/dz| = {abs(mse_sigmoid_logit_grad(logit, 1.0)):.2e}, |dCE/dz| = {abs(ce_sigmoid_logit_grad(logit, 1.0)):.2e}")
""")

Q4_ANSWER = markdown("q4.answer", r"""
**Your answer.**

*Gradients.* With $p = \sigma(z)$: MSE gives $\partial L/\partial z = (p - y)\,p(1 - p)$, CE gives
$\partial L/\partial z = p - y$. When the output is confidently **wrong** ($y = 1$, $z \ll 0$) the
sigmoid saturates, $p(1 - p) \approx 0$, and the MSE gradient vanishes (about $e^{z}$: $4.5 \cdot 10^{-5}$
at $z = -10$), so the examples that most need correcting barely move the weights. CE cancels the
sigmoid's derivative: its gradient tends to $-1$, the largest exactly when the prediction is most
wrong. MSE also punishes a wrong classification by at most 1, so it does not penalise
confident mistakes enough, and with sigmoid/softmax outputs it makes the loss non-convex in the
last layer's weights.

*Probabilistic view.* Cross-entropy is the negative log-likelihood of the labels under the
Bernoulli (sigmoid) or categorical (softmax) distribution that the network outputs: minimising it
is maximum likelihood for classification. MSE is the negative log-likelihood of a Gaussian target
with fixed variance — the natural loss for regression with a linear output, where the target is
continuous. A classifier can be trained with MSE and may work, but more slowly and less well with
sigmoid/softmax outputs; another option for classification is a margin (hinge) loss, i.e. a linear
SVM on top of the network.
""", ANSWER_SLOT)

# ==================================================================================== q5

Q5_TEXT = markdown("q5.text", r"""
## Question 5 — ReLU vs LeakyReLU on MNIST · سوال پنجم: مقایسه ReLU و Leaky ReLU روی MNIST

Explain the ReLU and LeakyReLU activations and their advantages. Train the **same** MLP on MNIST
once with ReLU and once with LeakyReLU and compare the loss and accuracy (training and test)
after one epoch and after more epochs.

**Code.**
* `leaky_relu(x, slope=0.01)` — $x$ where $x > 0$, else $\text{slope} \cdot x$ (NumPy, elementwise);
* `leaky_relu_derivative(x, slope=0.01)` — $1$ where $x > 0$, else `slope` (at $x = 0$ take
  `slope`, the value torch's autograd uses);
* `predict_digits(images)` — the predicted digit (0–9) for each image of a uint8 array
  `[N, 28, 28]` (MNIST's raw pixels), from your trained **LeakyReLU** MLP; returns an int array `[N]`.
  The grader measures its accuracy on hidden digits.

The data folder is `os.environ.get("MNIST_DIR", "MNIST")` holding the four IDX files
(`train-images-idx3-ubyte`, … , plain or `.gz`). The grader runs this notebook on a small
version of MNIST (500 training digits), so the epoch count below follows the size of the data.
""")

Q5_ACTIVATION = code("q5.activation", r'''
def leaky_relu(x, slope=0.01):
    """x where x > 0, else slope * x."""
    # BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, slope * x)
    # END SOLUTION


def leaky_relu_derivative(x, slope=0.01):
    """1 where x > 0, else slope (slope at 0, as torch)."""
    # BEGIN SOLUTION
    return np.where(np.asarray(x) > 0, 1.0, float(slope))
    # END SOLUTION
''')

Q5_ACTIVATION_CHECK = code("q5.activation_check", r"""
# Check against torch: F.leaky_relu and its autograd derivative (0 included).
x = torch.tensor([-3.0, -0.5, 0.0, 0.5, 3.0], dtype=torch.float64, requires_grad=True)
(derivative,) = torch.autograd.grad(F.leaky_relu(x, 0.2).sum(), x)
print("leaky_relu matches torch:", np.allclose(leaky_relu(x.detach().numpy(), 0.2), F.leaky_relu(x, 0.2).detach().numpy()))
print("derivative matches autograd:", np.allclose(leaky_relu_derivative(x.detach().numpy(), 0.2), derivative.numpy()))
""")

Q5_DATA = code("q5.data", r'''
import gzip
import struct

MNIST_DIR = os.environ.get("MNIST_DIR", "MNIST")


def read_idx(path):
    """An IDX file (plain or .gz) as a uint8 array of the shape in its header."""
    # BEGIN SOLUTION
    opener = open if os.path.exists(path) else gzip.open
    with opener(path if os.path.exists(path) else path + ".gz", "rb") as file:
        _, _, dtype_code, n_dims = file.read(4)  # magic: 0, 0, type (8 = uint8), dimensions
        shape = struct.unpack(f">{n_dims}i", file.read(4 * n_dims))
        return np.frombuffer(file.read(), dtype=np.uint8).reshape(shape)
    # END SOLUTION


x_train_digits = read_idx(os.path.join(MNIST_DIR, "train-images-idx3-ubyte"))
y_train_digits = read_idx(os.path.join(MNIST_DIR, "train-labels-idx1-ubyte")).astype(np.int64)
x_test_digits = read_idx(os.path.join(MNIST_DIR, "t10k-images-idx3-ubyte"))
y_test_digits = read_idx(os.path.join(MNIST_DIR, "t10k-labels-idx1-ubyte")).astype(np.int64)
print(f"train {x_train_digits.shape}, test {x_test_digits.shape}")
''')

Q5_TRAINING = code("q5.training", r'''
@dataclass(frozen=True)
class MLPConfig:
    hidden: tuple = (128, 64)  # hidden widths of the MLP
    # the small grader data (500 digits) needs many passes; full MNIST (60k) learns in a few
    epochs: int = 30 if len(x_train_digits) < 5000 else 10
    batch_size: int = 64
    learning_rate: float = 1e-3  # Adam
    slope: float = 0.01  # LeakyReLU's negative slope


def build_mlp(activation, config):
    """784 -> hidden... -> 10 with `activation` ("relu" or "leaky_relu") after every hidden layer."""
    # BEGIN SOLUTION
    layers, width = [nn.Flatten()], 28 * 28
    for hidden in config.hidden:
        layers += [nn.Linear(width, hidden), nn.ReLU() if activation == "relu" else nn.LeakyReLU(config.slope)]
        width = hidden
    layers.append(nn.Linear(width, 10))
    return nn.Sequential(*layers).to(DEVICE)
    # END SOLUTION


def as_inputs(images):
    """uint8 [N, 28, 28] -> float32 tensor in [0, 1] on DEVICE."""
    return torch.as_tensor(np.asarray(images, dtype=np.float32) / 255.0, device=DEVICE)


def loss_and_accuracy(model, images, labels):
    model.eval()
    with torch.no_grad():
        logits = model(as_inputs(images))
        target = torch.as_tensor(labels, device=DEVICE)
        return F.cross_entropy(logits, target).item(), (logits.argmax(1) == target).float().mean().item()


def train_mlp(activation, config):
    """Adam + cross-entropy; returns the model and a table row per epoch."""
    # BEGIN SOLUTION
    torch.manual_seed(0)  # the same initial weights and batch order for both activations
    model = build_mlp(activation, config)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    x, y = as_inputs(x_train_digits), torch.as_tensor(y_train_digits, device=DEVICE)
    history = []
    for epoch in range(1, config.epochs + 1):
        model.train()
        for batch in torch.randperm(len(x)).split(config.batch_size):
            optimiser.zero_grad()
            F.cross_entropy(model(x[batch]), y[batch]).backward()
            optimiser.step()
        history.append((epoch, *loss_and_accuracy(model, x_train_digits, y_train_digits),
                        *loss_and_accuracy(model, x_test_digits, y_test_digits)))
    return model, history
    # END SOLUTION


config = MLPConfig()
runs = {activation: train_mlp(activation, config) for activation in ("relu", "leaky_relu")}
print(f"{'activation':<11} {'epoch':>5} {'train loss':>10} {'train acc':>9} {'test loss':>9} {'test acc':>8}")
for activation, (_, history) in runs.items():
    for epoch, train_loss, train_acc, test_loss, test_acc in (history[0], history[-1]):
        print(f"{activation:<11} {epoch:>5} {train_loss:>10.4f} {train_acc:>9.4f} {test_loss:>9.4f} {test_acc:>8.4f}")
digit_model = runs["leaky_relu"][0]
''')

Q5_PREDICT = code("q5.predict", r'''
def predict_digits(images):
    """Predicted digit per image (uint8 [N, 28, 28]) from the trained LeakyReLU MLP: int64 [N]."""
    # BEGIN SOLUTION
    digit_model.eval()
    with torch.no_grad():
        return digit_model(as_inputs(images)).argmax(1).cpu().numpy()
    # END SOLUTION


print("test accuracy of predict_digits:", np.mean(predict_digits(x_test_digits) == y_test_digits))
''')

Q5_ANSWER = markdown("q5.answer", r"""
**Your answer.**

*ReLU*, $f(x) = \max(0, x)$, replaced the sigmoid because it does not saturate for positive
inputs (its gradient there is 1, so deep networks train without vanishing gradients), it is
cheap (no exponential or division) and it gives sparse activations; training converges faster.
Its weakness: a unit whose pre-activation is negative for every input outputs 0 and gets zero
gradient — it "dies" and never recovers.

*LeakyReLU*, $f(x) = x$ for $x > 0$ and $m x$ otherwise (a small preselected slope $m$, e.g. 0.01),
keeps a small gradient $m$ for negative inputs, so units cannot die and negative inputs still carry
information; the cost is the same as ReLU.

*Comparison* (the table above: the same initial weights and batch order, only the activation
differs). After one epoch the two are close; which one is ahead depends on the run. After more
epochs LeakyReLU is typically equal or slightly better in loss and accuracy, on the training and
the test set — consistent with the seed's report (ReLU ahead after 1 epoch on the training set,
LeakyReLU ahead in every category after many epochs). The differences are small: with a shallow
MLP and Adam few ReLU units die.
""", ANSWER_SLOT)

# ==================================================================================== q6

Q6_TEXT = markdown("q6.text", r"""
## Question 6 — CIFAR-10 project · سوال ششم: پروژه طبقه‌بندی CIFAR-10 با شبکه‌های کانولوشنی

Classify the 10 classes of CIFAR-10 (plane, car, bird, cat, deer, dog, frog, horse, ship, truck)
with three PyTorch CNNs. Train each with `CrossEntropyLoss` and SGD (`lr=0.001`,
`momentum=0.9`, mini-batches of 4) for **5 epochs**, on inputs scaled to $[-1, 1]$. For each
model plot the loss curves, show the confusion matrix on the test set, print the per-class
precision / recall / F1 report, and analyse them. The reported test accuracies were about
0.62 / 0.65 / 0.70.

* **Model 1** (LeNet): conv 3→6 (5×5), ReLU, max-pool 2×2; conv 6→16 (5×5), ReLU, max-pool 2×2;
  flatten (16·5·5 = 400); linear 400→120, ReLU; linear 120→10. Four layers of neurons.
* **Model 2**: model 1 with `BatchNorm2d` after each convolution (before its ReLU).
* **Model 3**: conv 3→30 (3×3), ReLU, max-pool 2×2; conv 30→30 (3×3), ReLU, max-pool 2×2;
  flatten (30·6·6 = 1080); linear 1080→120, ReLU; linear 120→84, ReLU; linear 84→10. Five layers.

**What the grader uses** (keep these names):
* the data folder is `os.environ.get("CIFAR10_DIR", "data")`, holding `cifar-10-batches-py/`
  (the python pickles of the official download);
* `build_model(number)` returns a new, untrained model 1, 2 or 3 (a `torch.nn.Module` taking
  float32 `[N, 3, 32, 32]`); the grader counts its parameters and inspects its layers;
* `predict_cifar(images)` takes uint8 images `[N, 32, 32, 3]` (the loader's layout, raw pixels)
  and returns the predicted class `[N]` (ints 0–9) of your **best** trained model; the grader
  measures its accuracy on hidden test images;
* `confusion_matrix(y_true, y_pred, n_classes=10)` returns the `n_classes × n_classes` int
  matrix whose entry `[i, j]` counts the samples of true class `i` predicted as `j` (all
  classes, present or not); the grader compares it with its own on your predictions.
""")

Q6_DATA = code("q6.data", r'''
import pickle

CIFAR_DIR = os.path.join(os.environ.get("CIFAR10_DIR", "data"), "cifar-10-batches-py")
CLASSES = ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


def load_batch(name):
    """(uint8 images [N, 32, 32, 3], int64 labels [N]) of one pickled CIFAR-10 batch file."""
    # BEGIN SOLUTION
    with open(os.path.join(CIFAR_DIR, name), "rb") as file:
        batch = pickle.load(file, encoding="bytes")
    # each row holds the red, green and blue 32x32 planes one after another
    images = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return images, np.asarray(batch[b"labels"], dtype=np.int64)
    # END SOLUTION


train_parts = [load_batch(f"data_batch_{i}") for i in range(1, 6)]
x_train = np.concatenate([images for images, _ in train_parts])
y_train = np.concatenate([labels for _, labels in train_parts])
x_test, y_test = load_batch("test_batch")
print(f"train {x_train.shape}, test {x_test.shape}")

figure, axes = plt.subplots(1, 8, figsize=(12, 2))
for axis, image, label in zip(axes, x_train, y_train):
    axis.imshow(image)
    axis.set_title(CLASSES[label])
    axis.axis("off")
plt.show()
plt.close(figure)
''')

Q6_MODELS = code("q6.models", r'''
class LeNet(nn.Module):
    """Model 1 (batch_norm=False) and model 2 (batch_norm=True)."""

    def __init__(self, batch_norm=False):
        super().__init__()
        # BEGIN SOLUTION
        norm = nn.BatchNorm2d if batch_norm else lambda channels: nn.Identity()
        self.features = nn.Sequential(
            nn.Conv2d(3, 6, 5), norm(6), nn.ReLU(), nn.MaxPool2d(2, 2),  # 32 -> 28 -> 14
            nn.Conv2d(6, 16, 5), norm(16), nn.ReLU(), nn.MaxPool2d(2, 2),  # 14 -> 10 -> 5
            nn.Flatten(),  # 16 * 5 * 5 = 400
        )
        self.classifier = nn.Sequential(nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 10))
        # END SOLUTION

    def forward(self, x):
        # BEGIN SOLUTION
        return self.classifier(self.features(x))
        # END SOLUTION


class Conv30Net(nn.Module):
    """Model 3: two 3x3 convolutions of 30 channels, three linear layers."""

    def __init__(self):
        super().__init__()
        # BEGIN SOLUTION
        self.features = nn.Sequential(
            nn.Conv2d(3, 30, 3), nn.ReLU(), nn.MaxPool2d(2, 2),  # 32 -> 30 -> 15
            nn.Conv2d(30, 30, 3), nn.ReLU(), nn.MaxPool2d(2, 2),  # 15 -> 13 -> 6
            nn.Flatten(),  # 30 * 6 * 6 = 1080
        )
        self.classifier = nn.Sequential(
            nn.Linear(1080, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
        )
        # END SOLUTION

    def forward(self, x):
        # BEGIN SOLUTION
        return self.classifier(self.features(x))
        # END SOLUTION


def build_model(number):
    """A new, untrained model 1, 2 or 3."""
    # BEGIN SOLUTION
    if number == 1:
        return LeNet()
    if number == 2:
        return LeNet(batch_norm=True)
    if number == 3:
        return Conv30Net()
    raise ValueError(f"model number must be 1, 2 or 3, got {number}")
    # END SOLUTION


for number in (1, 2, 3):
    print(f"model {number}: {sum(p.numel() for p in build_model(number).parameters()):,} parameters")
''')

Q6_TRAINING = code("q6.training", r'''
@dataclass(frozen=True)
class CifarConfig:
    epochs: int = 5  # the assignment's 5 epochs
    batch_size: int = 4  # the PyTorch CIFAR-10 tutorial's mini-batch
    learning_rate: float = 0.001  # SGD
    momentum: float = 0.9


def to_inputs(images):
    """uint8 [N, 32, 32, 3] -> float32 [N, 3, 32, 32] in [-1, 1]: (x / 255 - 0.5) / 0.5."""
    x = torch.as_tensor(np.asarray(images), dtype=torch.float32).permute(0, 3, 1, 2) / 255.0
    return (x - 0.5) / 0.5


def evaluate(model, images, labels, batch_size=500):
    """(mean cross-entropy, accuracy, predictions) in eval mode."""
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(chunk.to(DEVICE)).cpu() for chunk in to_inputs(images).split(batch_size)])
    target = torch.as_tensor(labels)
    return F.cross_entropy(logits, target).item(), (logits.argmax(1) == target).float().mean().item(), logits.argmax(1).numpy()


def train(model, config):
    """SGD with momentum on cross-entropy; per-epoch train loss, test loss and test accuracy."""
    # BEGIN SOLUTION
    model.to(DEVICE)
    optimiser = torch.optim.SGD(model.parameters(), lr=config.learning_rate, momentum=config.momentum)
    x, y = to_inputs(x_train), torch.as_tensor(y_train)
    history = {"train_loss": [], "test_loss": [], "test_accuracy": []}
    for epoch in range(config.epochs):
        model.train()
        losses = []
        for batch in torch.randperm(len(x)).split(config.batch_size):
            optimiser.zero_grad()
            loss = F.cross_entropy(model(x[batch].to(DEVICE)), y[batch].to(DEVICE))
            loss.backward()
            optimiser.step()
            losses.append(loss.item())
        test_loss, test_accuracy, _ = evaluate(model, x_test, y_test)
        history["train_loss"].append(float(np.mean(losses)))
        history["test_loss"].append(test_loss)
        history["test_accuracy"].append(test_accuracy)
        print(f"epoch {epoch + 1}: train loss {history['train_loss'][-1]:.3f}, test loss {test_loss:.3f}, test accuracy {test_accuracy:.3f}")
    return history
    # END SOLUTION


models, histories = {}, {}
for number in (1, 2, 3):
    print(f"--- model {number}")
    torch.manual_seed(number)
    models[number] = build_model(number)
    histories[number] = train(models[number], CifarConfig())

figure, axes = plt.subplots(1, 3, figsize=(13, 3.5))
for axis, (number, history) in zip(axes, histories.items()):
    axis.plot(range(1, len(history["train_loss"]) + 1), history["train_loss"], label="train loss")
    axis.plot(range(1, len(history["test_loss"]) + 1), history["test_loss"], label="test loss")
    axis.set(title=f"model {number}", xlabel="epoch", ylabel="cross-entropy")
    axis.legend()
plt.show()
plt.close(figure)
''')

Q6_EVALUATE = code("q6.evaluate", r'''
from sklearn.metrics import classification_report


def confusion_matrix(y_true, y_pred, n_classes=10):
    """int [n_classes, n_classes]: entry [i, j] counts true class i predicted as j."""
    # BEGIN SOLUTION
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    for true, predicted in zip(np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()):
        matrix[int(true), int(predicted)] += 1
    return matrix
    # END SOLUTION


for number, model in models.items():
    _, accuracy, predicted = evaluate(model, x_test, y_test)
    matrix = confusion_matrix(y_test, predicted)
    figure, axis = plt.subplots(figsize=(6, 5))
    axis.imshow(matrix, cmap="Blues")
    axis.set(xticks=range(10), yticks=range(10), xlabel="predicted", ylabel="true", title=f"model {number}: accuracy {accuracy:.3f}")
    axis.set_xticklabels(CLASSES, rotation=45)
    axis.set_yticklabels(CLASSES)
    for (i, j), count in np.ndenumerate(matrix):
        axis.text(j, i, count, ha="center", va="center", fontsize=7)
    plt.show()
    plt.close(figure)
    print(classification_report(y_test, predicted, labels=range(10), target_names=CLASSES, zero_division=0))

best_number = max(histories, key=lambda number: histories[number]["test_accuracy"][-1])
best_model = models[best_number]
print("best model:", best_number)
''')

Q6_PREDICT = code("q6.predict", r'''
def predict_cifar(images):
    """Predicted class (int [N]) of the best trained model for uint8 images [N, 32, 32, 3]."""
    # BEGIN SOLUTION
    best_model.eval()
    with torch.no_grad():
        logits = [best_model(chunk.to(DEVICE)).cpu() for chunk in to_inputs(images).split(500)]
    return torch.cat(logits).argmax(1).numpy()
    # END SOLUTION


print("test accuracy of predict_cifar:", np.mean(predict_cifar(x_test) == y_test))
''')

Q6_ANSWER = markdown("q6.answer", r"""
**Your answer.**

*Loss curves.* For all three models the training loss falls steadily over the 5 epochs; the test
loss follows it and starts to flatten — no strong overfitting yet at 5 epochs, the models are
still under-trained with SGD at lr 0.001.

*Confusion matrices.* The largest off-diagonal entries pair similar classes: cat ↔ dog above all,
then deer/bird (with the other animals) and car ↔ truck among the vehicles, plane ↔ ship (blue
backgrounds). Model 2 keeps these confusions and adds deer ↔ horse; model 3 reduces them.

*Reports and comparison.* Batch normalisation (model 2) speeds up and stabilises training, so
after the same 5 epochs it beats model 1 (seed: 0.62 → 0.65 accuracy). Model 3, with smaller
3×3 kernels, more channels (30) and a deeper classifier (149,704 parameters instead of 52,202),
extracts richer features and reaches the best accuracy (0.70); its weakest classes remain cat,
bird and dog (F1 about 0.5–0.6), its best car, ship and frog (about 0.8).
""", ANSWER_SLOT)

CELLS: tuple[Cell, ...] = (
    INTRO, SETUP,
    Q2_TEXT, Q2_XAVIER, Q2_SYMMETRY, Q2_CHECK, Q2_ANSWER,
    Q3_TEXT, Q3_CODE, Q3_CHECK, Q3_ANSWER,
    Q4_TEXT, Q4_CODE, Q4_CHECK, Q4_ANSWER,
    Q5_TEXT, Q5_ACTIVATION, Q5_ACTIVATION_CHECK, Q5_DATA, Q5_TRAINING, Q5_PREDICT, Q5_ANSWER,
    Q6_TEXT, Q6_DATA, Q6_MODELS, Q6_TRAINING, Q6_EVALUATE, Q6_PREDICT, Q6_ANSWER,
)

# The demo submissions: each breaks known tests on purpose (see the module docstring).
PARTLY_WRONG = {
    # the standard deviation sqrt(2 / (fan_in + fan_out)) used as the bound: variance 3x too small
    "q2.xavier": replace("np.sqrt(6.0 / (fan_in + fan_out))", "np.sqrt(2.0 / (fan_in + fan_out))"),
    # L2 pooling as the root-mean-square of the window instead of its norm
    "q3.code": replace("np.sqrt((taps**2).sum(axis=0))", "np.sqrt((taps**2).mean(axis=0))"),
    # rows and columns swapped: rows are the predictions
    "q6.evaluate": replace("matrix[int(true), int(predicted)] += 1", "matrix[int(predicted), int(true)] += 1"),
}
RAISES_ERRORS = {
    # a typo: the cross-entropy gradient calls a function that does not exist -> NameError
    "q4.code": replace("return sigmoid(z) - y", "return sigmod(z) - y"),
    "q5.activation": replace(
        "return np.where(np.asarray(x) > 0, 1.0, float(slope))", 'raise NotImplementedError("replace this line with your answer")'
    ),
}


DEMOS = {"partly_wrong": PARTLY_WRONG, "raises_errors": RAISES_ERRORS}


def main() -> None:
    write_assignment(HERE, CELLS, DEMOS)


if __name__ == "__main__":
    main()
