"""The oracle protocol's wire format, and the kernel side of it.

Only plain data crosses between the student kernel and the grader: JSON with NumPy arrays
carried as `.npy` bytes (read back with `allow_pickle=False`, so an object array or a pickle
cannot travel). Nothing from the kernel is ever unpickled.

This module depends on the standard library and NumPy alone: its source is also executed
inside the student kernel (see `KERNEL_NAMESPACE`), so both sides share one codec.
"""

import base64
import builtins
import io
import json
import math

import numpy as np

REPLY_MIME = "application/x-grader-reply+json"
KERNEL_NAMESPACE = "__grader_wire__"
MAX_REPLY_BYTES = 64 * 2**20  # one answer, encoded; predictions for thousands of images fit easily

# Loaded into the kernel before the notebook runs, this is a copy of the builtins as Python
# made them: a notebook that rebinds `sum` or patches `builtins.len` does not change what the
# grader's own expressions compute.
_BUILTINS = dict(vars(builtins))


class WireError(TypeError):
    """A value that is not plain data and cannot cross the wire."""


def encode(value):
    """Turn plain data (and NumPy / torch / TF arrays) into JSON-compatible form."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, (np.generic,)):
        return encode(value.item())
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise WireError("dictionary keys must be strings")
        return {k: encode(v) for k, v in value.items()}
    array = _as_array(value)
    if array.dtype == object:
        raise WireError(f"cannot send an array of Python objects ({type(value).__name__})")
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return {"__ndarray__": base64.b64encode(buffer.getvalue()).decode("ascii")}


def _as_array(value):
    """A C-ordered NumPy array of the value, of the same shape (0-d arrays stay 0-d)."""
    if isinstance(value, np.ndarray):
        return np.asarray(value, order="C")
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # torch tensor
        return np.asarray(value.detach().cpu().numpy(), order="C")
    if callable(getattr(value, "numpy", None)):  # TensorFlow eager tensor
        return np.asarray(value.numpy(), order="C")
    if hasattr(value, "__array__"):
        return np.asarray(value, order="C")
    raise WireError(f"cannot send a value of type {type(value).__name__}; send numbers, strings, lists or arrays")


def decode(value):
    """Inverse of `encode`; refuses anything that is not plain data."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {"__ndarray__"}:
            raw = base64.b64decode(value["__ndarray__"], validate=True)
            return np.load(io.BytesIO(raw), allow_pickle=False)
        if set(value) == {"__float__"}:
            return float(value["__float__"])
        return {k: decode(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise WireError(f"unexpected value of type {type(value).__name__} on the wire")


def dumps(value) -> str:
    return json.dumps(encode(value))


def loads(text: str):
    return decode(json.loads(text))


# ---- kernel side: executed inside the student kernel, under KERNEL_NAMESPACE ----


def _reply(payload):
    from IPython.display import display

    size = len(json.dumps(payload))
    if size > MAX_REPLY_BYTES:
        raise WireError(f"the answer is {size / 2**20:.0f} MB; answers are limited to {MAX_REPLY_BYTES // 2**20} MB")
    display({REPLY_MIME: payload}, raw=True)


def _user_namespace():
    from IPython import get_ipython

    return get_ipython().user_ns


def _grader_namespace():
    """The notebook's names, for an expression of the grader's: Python's own builtins win over
    a notebook's names and patches."""
    namespace = dict(_user_namespace())
    namespace.update(_BUILTINS)
    namespace["__builtins__"] = _BUILTINS
    return namespace


def _lookup(name):
    namespace = _user_namespace()
    if name not in namespace:
        raise NameError(f"the notebook does not define {name!r}")
    return namespace[name]


def serve(request_json):
    """Answer one request from the grader: call a function, evaluate an expression, predict."""
    request = loads(request_json)
    kind = request["kind"]
    if kind == "call":
        result = _lookup(request["name"])(*request["args"], **request["kwargs"])
    elif kind == "value":
        result = eval(request["expression"], _grader_namespace())
    elif kind == "predict":
        name = request["name"]
        model = _lookup(name) if name.isidentifier() else eval(name, _grader_namespace())
        result = _predict(model, request["inputs"], request["batch_size"])
    else:
        raise ValueError(f"unknown request kind {kind!r}")
    _reply({"result": encode(result)})


def _predict(model, inputs, batch_size):
    """Outputs of a torch module, a Keras model or a plain function, batch by batch."""
    outputs = []
    for start in range(0, len(inputs), batch_size):
        outputs.append(_as_array(_forward(model, inputs[start : start + batch_size])))
    return np.concatenate(outputs)


def _forward(model, batch):
    module_types = [c.__module__ + "." + c.__name__ for c in type(model).__mro__]
    if "torch.nn.modules.module.Module" in module_types:
        import torch

        model.eval()
        parameter = next(model.parameters(), None)
        device = parameter.device if parameter is not None else "cpu"
        with torch.no_grad():
            return model(torch.as_tensor(batch, dtype=torch.float32, device=device))
    if hasattr(model, "predict") and any(name.startswith(("keras.", "tf_keras.")) for name in module_types):
        return model.predict(batch, verbose=0)
    return model(batch)

