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


class NotDefined(NameError):
    """The notebook does not define a name the grader asked for."""


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
        raise NotDefined(f"your notebook does not define `{name}`")
    return namespace[name]


def serve(request_json):
    """Answer one request from the grader: call a function, evaluate an expression, predict, or
    list what in the notebook could answer a question (functions, models, values)."""
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
    elif kind == "functions":
        result = _functions(request["declared"], request["args"], request["kwargs"])
    elif kind == "models":
        result = _models(request["declared"], request["input_shape"])
    elif kind == "values":
        result = _values(request["declared"])
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
    framework = _framework(model)
    if framework == "torch":
        import torch

        model.eval()
        parameter = next(model.parameters(), None)
        device = parameter.device if parameter is not None else "cpu"
        with torch.no_grad():
            return model(torch.as_tensor(batch, dtype=torch.float32, device=device))
    if framework == "keras":
        return model.predict(batch, verbose=0)
    return model(batch)


def _framework(value):
    """"torch" for a torch module, "keras" for a Keras model (Keras 3 or tf-keras), else None."""
    module_types = [c.__module__ + "." + c.__name__ for c in type(value).__mro__]
    if "torch.nn.modules.module.Module" in module_types:
        return "torch"
    if hasattr(value, "predict") and any(name.startswith(("keras.", "tf_keras.")) for name in module_types):
        return "keras"
    return None


# ---- kernel side: what in the notebook could answer a question ----
#
# When a notebook does not define the name a question declares, the grader asks what else there
# is. Each answer lists places ([name], [name, key] for a dict entry or list item, [name,
# {"attribute": "model"}] for a Keras History's model) and facts the grader checks itself;
# nothing here decides.

_NOT_ANSWERS = frozenset({"In", "Out", "exit", "quit", "get_ipython"})  # IPython's own names
MAX_VALUE_CHARS = 20_000  # a value offered as an answer, encoded: hyperparameters, counts, short tables


def _declared(namespace, declared, is_answer):
    """What the notebook binds to the declared name: "missing", "answer" (of the kind asked) or "other"."""
    if declared not in namespace:
        return "missing"
    return "answer" if is_answer(namespace[declared]) else "other"


def _own_names(namespace):
    return [(name, value) for name, value in list(namespace.items())
            if not name.startswith("_") and name not in _NOT_ANSWERS]


# A function whose code (or a notebook function it calls) uses one of these names trains, searches
# or changes a model: trying it on an example could change what the other checks see, so it is
# never tried.
_CHANGES_MODELS = frozenset({"fit", "fit_generator", "train_on_batch", "backward", "step", "zero_grad", "search",
                             "train", "load_state_dict", "set_weights", "load_weights"})


def _is_notebook_function(value):
    import inspect

    return inspect.isfunction(value) and value.__module__ == "__main__"


def _changes_models(function, namespace, seen=None):
    seen = set() if seen is None else seen
    if id(function) in seen:
        return False
    seen.add(id(function))
    codes = [function.__code__]
    while codes:
        code = codes.pop()
        if _CHANGES_MODELS & set(code.co_names):
            return True
        codes += [c for c in code.co_consts if isinstance(c, type(code))]  # nested functions, lambdas
        if any(_is_notebook_function(namespace.get(name)) and _changes_models(namespace[name], namespace, seen)
               for name in code.co_names):
            return True
    return False


def _functions(declared, args, kwargs):
    """The functions the notebook itself defines (not imports) that accept these arguments and
    neither train nor change a model."""
    import inspect

    namespace = _user_namespace()
    candidates = []
    for name, value in _own_names(namespace):
        if not _is_notebook_function(value) or _changes_models(value, namespace):
            continue
        try:
            inspect.signature(value).bind(*args, **kwargs)
        except (TypeError, ValueError):
            continue
        candidates.append(name)
    return {"declared": _declared(namespace, declared, callable), "candidates": candidates}


def _model_places(namespace):
    """(place, model) for every model by name, in a dict or list one level down, or behind a History."""
    for name, value in _own_names(namespace):
        if _framework(value):
            yield [name], value
        elif isinstance(value, dict):
            for key, item in list(value.items()):
                if isinstance(key, (str, int)) and not isinstance(key, bool) and _framework(item):
                    yield [name, key], item
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                if _framework(item):
                    yield [name, index], item
        elif type(value).__name__ == "History" and _framework(getattr(value, "model", None)) == "keras":
            yield [name, {"attribute": "model"}], value.model


def _models(declared, input_shape):
    """Each model of the notebook once, with its places, the output shape it gives for two zero
    inputs of `input_shape` (or why it gives none) and whether it has been trained."""
    namespace = _user_namespace()
    found = {}
    for place, model in _model_places(namespace):
        if id(model) not in found:
            framework = _framework(model)
            found[id(model)] = {"places": [], "framework": framework, "trained": _trained(model, framework),
                                **_output_shape(model, framework, input_shape)}
        found[id(model)]["places"].append(place)
    return {"declared": _declared(namespace, declared, _framework), "models": list(found.values())}


def _output_shape(model, framework, input_shape):
    try:
        if framework == "torch":
            import torch

            parameter = next(model.parameters(), None)
            dtype, device = (parameter.dtype, parameter.device) if parameter is not None else (torch.float32, "cpu")
            modes = [(module, module.training) for module in model.modules()]
            model.eval()
            try:
                with torch.no_grad():
                    output = model(torch.zeros((2, *input_shape), dtype=dtype, device=device))
            finally:  # the notebook's modules keep the modes they had (a frozen part stays frozen)
                for module, training in modes:
                    module.training = training
        else:
            output = model(np.zeros((2, *input_shape), dtype="float32"), training=False)
        return {"output_shape": [int(n) for n in output.shape[1:]], "problem": ""}
    except Exception as err:  # the model cannot take such inputs: the grader says so, if it matters
        return {"output_shape": None, "problem": f"{type(err).__name__}: {err}"[:500]}


def _trained(model, framework):
    """Whether the model has been trained: a torch module has gradients on its parameters after a
    training step; a Keras model's optimizer counts its steps."""
    try:
        if framework == "torch":
            return any(p.grad is not None for p in model.parameters())
        iterations = getattr(getattr(model, "optimizer", None), "iterations", None)
        return iterations is not None and int(np.asarray(iterations)) > 0
    except Exception:  # a model whose state cannot be read counts as not trained
        return False


def _values(declared):
    """The notebook's plain-data values (numbers, strings, short lists and dicts) by name, and the
    results its cells displayed (Out[n]); each as it would cross the wire."""
    namespace = _user_namespace()
    places = [([name], value) for name, value in _own_names(namespace)]
    places += [(["Out", number], value) for number, value in list(namespace.get("Out", {}).items())]
    candidates = []
    for place, value in places:
        small = len(value) <= MAX_VALUE_CHARS if isinstance(value, (str, list, tuple, dict)) else True
        if small and isinstance(value, (bool, int, float, str, list, tuple, dict, np.generic)):
            try:
                encoded = encode(value)
            except WireError:
                continue
            if len(json.dumps(encoded)) <= MAX_VALUE_CHARS:
                candidates.append({"place": place, "value": value})
    return {"declared": _declared(namespace, declared, lambda value: True), "candidates": candidates}

