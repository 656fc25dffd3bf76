"""Notebooks for the copy-detection tests: a starter notebook, two students' independent
solutions of the same three questions (pooling, dilated convolution, a training loop), and a
copy of the first one disguised by renaming, re-commenting and reordering cells.

The two independent solutions really are solutions: tests check that they compute the same
results, so "they score low" means "different code for the same answers".
"""

from __future__ import annotations

import nbformat

STARTER = [
    "import numpy as np\nimport matplotlib.pyplot as plt\n%matplotlib inline\nrng = np.random.default_rng(0)",
    'def pool2d(x, kind, size, stride):\n    """Pool a 2-D array: kind is max, min, avg or l2."""\n'
    "    # YOUR CODE HERE\n    raise NotImplementedError",
    'def dilated_conv2d(image, kernel, dilation):\n    """Valid cross-correlation with a dilated kernel."""\n'
    "    # YOUR CODE HERE\n    raise NotImplementedError",
    'def train_logistic(x, y, lr, epochs):\n    """Return weights and bias of a logistic regression trained by gradient descent."""\n'
    "    # YOUR CODE HERE\n    raise NotImplementedError",
    "x_demo = rng.normal(size=(6, 6))\nprint(pool2d(x_demo, 'max', 2, 2))",
]

LOOPS = [
    STARTER[0],
    "def pool2d(x, kind, size, stride):\n"
    "    rows, cols = x.shape\n"
    "    out_rows = (rows - size) // stride + 1\n"
    "    out_cols = (cols - size) // stride + 1\n"
    "    out = np.zeros((out_rows, out_cols))\n"
    "    for i in range(out_rows):\n"
    "        for j in range(out_cols):\n"
    "            window = x[i * stride:i * stride + size, j * stride:j * stride + size]\n"
    "            if kind == 'max':\n"
    "                out[i, j] = window.max()\n"
    "            elif kind == 'min':\n"
    "                out[i, j] = window.min()\n"
    "            elif kind == 'avg':\n"
    "                out[i, j] = window.mean()\n"
    "            elif kind == 'l2':\n"
    "                out[i, j] = np.sqrt(np.sum(window ** 2))\n"
    "            else:\n"
    "                raise ValueError('unknown kind ' + kind)\n"
    "    return out",
    "def dilated_conv2d(image, kernel, dilation):\n"
    "    # walk over every output pixel and add up the kernel taps\n"
    "    f = kernel.shape[0]\n"
    "    span = dilation * (f - 1) + 1\n"
    "    height = image.shape[0] - span + 1\n"
    "    width = image.shape[1] - span + 1\n"
    "    result = np.zeros((height, width))\n"
    "    for r in range(height):\n"
    "        for c in range(width):\n"
    "            total = 0.0\n"
    "            for m in range(f):\n"
    "                for n in range(f):\n"
    "                    total += kernel[m, n] * image[r + dilation * m, c + dilation * n]\n"
    "            result[r, c] = total\n"
    "    return result",
    "def train_logistic(x, y, lr, epochs):\n"
    "    w = np.zeros(x.shape[1])\n"
    "    b = 0.0\n"
    "    for epoch in range(epochs):\n"
    "        z = x @ w + b\n"
    "        p = 1 / (1 + np.exp(-z))\n"
    "        grad_w = x.T @ (p - y) / len(y)\n"
    "        grad_b = np.mean(p - y)\n"
    "        w -= lr * grad_w\n"
    "        b -= lr * grad_b\n"
    "        if epoch % 100 == 0:\n"
    "            loss = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))\n"
    "            print(epoch, loss)\n"
    "    return w, b",
    STARTER[4],
]

VECTORISED = [
    "import numpy as np\nfrom numpy.lib.stride_tricks import sliding_window_view\n!pip install -q tqdm\n"
    "rng = np.random.default_rng(0)",
    "REDUCERS = {\n"
    "    'max': np.max,\n"
    "    'min': np.min,\n"
    "    'avg': np.mean,\n"
    "    'l2': lambda windows, axis: np.sqrt(np.square(windows).sum(axis=axis)),\n"
    "}\n\n"
    "def pool2d(x, kind, size, stride):\n"
    "    if kind not in REDUCERS:\n"
    "        raise ValueError(f'no pooling called {kind}')\n"
    "    patches = sliding_window_view(x, (size, size))[::stride, ::stride]\n"
    "    return REDUCERS[kind](patches, axis=(-2, -1))",
    "def spread(kernel, dilation):\n"
    '    """K ⊗ A with A = e_00 of size D×D, cut to D(F-1)+1: zeros between the taps."""\n'
    "    a = np.zeros((dilation, dilation))\n"
    "    a[0, 0] = 1\n"
    "    size = dilation * (len(kernel) - 1) + 1\n"
    "    return np.kron(kernel, a)[:size, :size]\n\n"
    "def dilated_conv2d(image, kernel, dilation):\n"
    "    big = spread(kernel, dilation)\n"
    "    views = sliding_window_view(image, big.shape)\n"
    "    return np.einsum('ijkl,kl->ij', views, big)",
    "def sigmoid(t):\n"
    "    return np.where(t >= 0, 1 / (1 + np.exp(-np.abs(t))), np.exp(-np.abs(t)) / (1 + np.exp(-np.abs(t))))\n\n"
    "def train_logistic(x, y, lr, epochs):\n"
    "    design = np.hstack([x, np.ones((len(x), 1))])\n"
    "    theta = np.zeros(design.shape[1])\n"
    "    for _ in range(epochs):\n"
    "        residual = sigmoid(design @ theta) - y\n"
    "        theta = theta - lr * design.T.dot(residual) / design.shape[0]\n"
    "    return theta[:-1], theta[-1]",
    STARTER[4],
]

# a third student: loops again, but written independently
LOOPS2 = [
    STARTER[0],
    "def pool2d(x, kind, size, stride):\n"
    "    ops = {'max': np.max, 'min': np.min, 'avg': np.mean, 'l2': np.linalg.norm}\n"
    "    if kind not in ops:\n"
    "        raise ValueError(kind)\n"
    "    n_out = [(d - size) // stride + 1 for d in x.shape]\n"
    "    y = np.empty(n_out)\n"
    "    for r in range(n_out[0]):\n"
    "        top = r * stride\n"
    "        for c in range(n_out[1]):\n"
    "            left = c * stride\n"
    "            y[r, c] = ops[kind](x[top:top + size, left:left + size])\n"
    "    return y",
    "def dilated_conv2d(image, kernel, dilation):\n"
    "    k = kernel.shape[0]\n"
    "    eff = (k - 1) * dilation + 1\n"
    "    H, W = image.shape\n"
    "    out = np.zeros((H - eff + 1, W - eff + 1))\n"
    "    for m in range(k):\n"
    "        for n in range(k):\n"
    "            rows = slice(m * dilation, m * dilation + H - eff + 1)\n"
    "            cols = slice(n * dilation, n * dilation + W - eff + 1)\n"
    "            out += kernel[m, n] * image[rows, cols]\n"
    "    return out",
    "def train_logistic(x, y, lr, epochs):\n"
    "    n, d = x.shape\n"
    "    w, b = np.zeros(d), 0.0\n"
    "    for _ in range(epochs):\n"
    "        p = 1.0 / (1.0 + np.exp(-(x.dot(w) + b)))\n"
    "        err = p - y\n"
    "        w = w - lr * x.T.dot(err) / n\n"
    "        b = b - lr * err.sum() / n\n"
    "    return w, b",
    STARTER[4],
]

# LOOPS with every name changed, comments rewritten, blank lines added and the cells reordered
DISGUISED = [
    STARTER[0],
    "def train_logistic(feats, labels, step, n_iter):\n"
    "    weights = np.zeros(feats.shape[1])\n"
    "    bias = 0.0\n\n"
    "    for it in range(n_iter):\n"
    "        logits = feats @ weights + bias\n"
    "        probs = 1 / (1 + np.exp(-logits))\n"
    "        dw = feats.T @ (probs - labels) / len(labels)\n"
    "        db = np.mean(probs - labels)\n"
    "        weights -= step * dw\n"
    "        bias -= step * db\n"
    "        if it % 100 == 0:\n"
    "            cost = -np.mean(labels * np.log(probs + 1e-12) + (1 - labels) * np.log(1 - probs + 1e-12))\n"
    "            print(it, cost)\n"
    "    return weights, bias",
    "def dilated_conv2d(img, k, d):\n"
    "    # my own loop over the output\n"
    "    ksize = k.shape[0]\n"
    "    extent = d * (ksize - 1) + 1\n"
    "    oh = img.shape[0] - extent + 1\n"
    "    ow = img.shape[1] - extent + 1\n"
    "    res = np.zeros((oh, ow))\n"
    "    for y in range(oh):\n"
    "        for x in range(ow):\n"
    "            acc = 0.0\n"
    "            for p in range(ksize):\n"
    "                for q in range(ksize):\n"
    "                    acc += k[p, q] * img[y + d * p, x + d * q]\n"
    "            res[y, x] = acc\n"
    "    return res",
    "def pool2d(arr, mode, size, stride):\n"
    "    h, w = arr.shape\n"
    "    oh = (h - size) // stride + 1\n"
    "    ow = (w - size) // stride + 1\n"
    "    pooled = np.zeros((oh, ow))\n"
    "    for a in range(oh):\n"
    "        for b in range(ow):\n"
    "            patch = arr[a * stride:a * stride + size, b * stride:b * stride + size]\n"
    "            if mode == 'max':\n"
    "                pooled[a, b] = patch.max()\n"
    "            elif mode == 'min':\n"
    "                pooled[a, b] = patch.min()\n"
    "            elif mode == 'avg':\n"
    "                pooled[a, b] = patch.mean()\n"
    "            elif mode == 'l2':\n"
    "                pooled[a, b] = np.sqrt(np.sum(patch ** 2))\n"
    "            else:\n"
    "                raise ValueError('unknown kind ' + mode)\n"
    "    return pooled",
    STARTER[4],
]

HOSTILE = STARTER[:1] + [
    "payload = '</pre><script>alert(1)</script>'\n"
    "def pool2d(x, kind, size, stride):\n"
    "    # </pre><script>document.location='http://evil'</script>\n"
    "    return x[::stride, ::stride]",
]


def code_notebook(cells: list[str]) -> nbformat.NotebookNode:
    """A notebook with a markdown title and the given code cells."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Homework")] + [nbformat.v4.new_code_cell(c) for c in cells]
    return nb
