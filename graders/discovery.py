"""Answers where students put them: what a check uses when the notebook does not define the name
its question declares.

A check asks for a declared name together with what the question needs of it: a function that
accepts an example's arguments and gives the example's answer, a model that maps inputs of one
shape to outputs of another (trained, where the question says so), a value the question's test
accepts. A notebook that defines the declared name (and, for a model, one that fits) is graded
with it, exactly as asked. Otherwise the kernel lists what the notebook holds (graders.wire), each
candidate is tried here on the question's public example only, never on hidden inputs, and one is
chosen by the question's constraints, then by how close its name is to the declared one. The check
then uses it, and its outcome carries a note that says what was used and why (`Found.note`).
"""

from __future__ import annotations

import difflib
import keyword
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from graders import wire
from graders.kernel import AnswerRefused, CallTimeout, StudentCodeError, StudentKernel
from graders.text import plain

PROBE_TIMEOUT_S = 10  # one candidate on the question's small example
MAX_NAMED = 5  # alternatives, or candidates tried, named in one note
MAX_KEY_CHARS = 80  # a dict key longer than this is no place to look for an answer
NO_EXAMPLE = object()  # `returns` not given: any answer that comes back fits


class AnswerNotFound(Exception):
    """Neither the declared name nor anything else in the notebook answers the question; the
    message says what was looked for."""


@dataclass(frozen=True)
class Found:
    """What a check used in place of a declared name."""

    kind: str  # "function" | "model" | "value"
    declared: str
    used: str  # a name of the notebook, or an expression such as models['final'] or history.model
    reason: str  # why not the declared name, e.g. "your notebook does not define `model`"
    fits: str  # what makes `used` the answer, said of it, e.g. "takes the same arguments and ..."
    alternatives: tuple[str, ...] = ()  # others that fit as well, not used

    @property
    def note(self) -> str:
        """One line for the student and the TA."""
        text = f"used your {self.kind} `{self.used}` for `{self.declared}`: {self.reason}, and `{self.used}` {self.fits}"
        if self.alternatives:
            shown = self.alternatives[:MAX_NAMED]
            others = ", ".join(f"`{name}`" for name in shown)
            if len(self.alternatives) > len(shown):
                others += f" and {len(self.alternatives) - len(shown)} more"
            text += (f"; {others} {'fits' if len(self.alternatives) == 1 else 'fit'} as well, and the name "
                     f"`{self.used}` is the closest to `{self.declared}`")
        return text


@dataclass(frozen=True)
class _Model:
    """One model object of the notebook, as the kernel described it."""

    places: tuple[str, ...]  # expressions that reach it, top-level names first
    output_shape: tuple[int, ...] | None
    problem: str  # why it gave no output for the question's input, if it did not
    trained: bool

    @property
    def expression(self) -> str:
        return self.places[0]


class GradedNotebook:
    """The student's notebook as a grader test talks to it (the `kernel` fixture): the kernel's
    questions (`call`, `value`, `predict`) and answers under the student's own names (`find_*`).

    Each search runs once per notebook; every check that asks again gets the same answer, and the
    note of what it used (`take_found`)."""

    def __init__(self, kernel: StudentKernel):
        self.kernel = kernel
        self._searched: dict[tuple, Found | AnswerNotFound | None] = {}
        self._found: list[Found] = []  # used by the check running now

    # ---- the kernel's questions ----

    def call(self, name: str, *args, timeout: float = 60, **kwargs):
        return self.kernel.call(name, *args, timeout=timeout, **kwargs)

    def value(self, expression: str, timeout: float = 60):
        return self.kernel.value(expression, timeout=timeout)

    def predict(self, name: str, inputs, batch_size: int = 64, timeout: float = 300):
        return self.kernel.predict(name, inputs, batch_size=batch_size, timeout=timeout)

    # ---- answers under the student's own names ----

    def find_function(self, declared: str, args: tuple = (), kwargs: dict | None = None, *,
                      returns: object = NO_EXAMPLE, accept: Callable[[object], bool] | None = None) -> str:
        """The name to call for the function `declared`: itself if the notebook defines it, else
        the notebook's own function that accepts the public example `args`/`kwargs` and returns
        `returns` for it (compared as the checks compare: numbers and arrays to a small tolerance)
        and an answer `accept` takes, where the question allows several (define `accept` once, at
        module level: each search runs once per `accept`). Functions that train or change a model
        are never tried, and without an example nothing is."""
        kwargs = dict(kwargs or {})
        key = ("function", declared, wire.dumps([list(args), kwargs]), _key(returns), accept)
        return self._resolve(key, declared,
                             lambda: self._search_function(declared, tuple(args), kwargs, returns, accept))

    def find_model(self, declared: str, input_shape: tuple[int, ...], output_shape: tuple[int | None, ...], *,
                   trained: bool = False) -> str:
        """An expression for the model `declared` (for `predict`, or inside a `value` expression):
        the declared name if it maps zero inputs of `input_shape` (one sample, no batch axis) to
        outputs of `output_shape` (None: any size) and, with `trained`, has been trained or no
        model that fits has; else the notebook's model that does, by name, in a dict or list, or
        as a Keras History's model."""
        key = ("model", declared, tuple(input_shape), tuple(output_shape), trained)
        return self._resolve(key, declared,
                             lambda: self._search_model(declared, tuple(input_shape), tuple(output_shape), trained))

    def find_value(self, declared: str, accept: Callable[[object], bool], meaning: str) -> str:
        """An expression for the value `declared`: itself if the notebook defines it, else the
        notebook's plain-data value (by name, or a result a cell displayed) that `accept` takes;
        `meaning` says what `accept` wants, completing "…, and `name` …" (e.g. "holds a value for
        every hyperparameter")."""
        key = ("value", declared, accept, meaning)
        return self._resolve(key, declared, lambda: self._search_value(declared, accept, meaning))

    def take_found(self) -> tuple[Found, ...]:
        """What the check running now used in place of declared names (and forget it)."""
        found, self._found = tuple(self._found), []
        return found

    # ---- searching ----

    def _resolve(self, key: tuple, declared: str, search: Callable[[], Found | None]) -> str:
        if key not in self._searched:
            try:
                self._searched[key] = search()
            except AnswerNotFound as missing:
                self._searched[key] = missing
        result = self._searched[key]
        if isinstance(result, AnswerNotFound):
            raise AnswerNotFound(str(result))
        if result is None:
            return declared
        if result not in self._found:
            self._found.append(result)
        return result.used

    def _search_function(self, declared: str, args: tuple, kwargs: dict, returns: object,
                         accept: Callable[[object], bool] | None) -> Found | None:
        if not args and not kwargs:
            return None  # without an example nothing can be told apart, and any function could start anything
        listing = self.kernel.functions(declared, args, kwargs)
        state = listing["declared"]
        if state == "answer":
            return None
        reason = _declared_reason(declared, state, "a function")
        tried: list[str] = []
        fitting: list[str] = []
        for name in _identifiers(listing["candidates"]):
            try:
                got = self.kernel.call(name, *args, timeout=PROBE_TIMEOUT_S, **kwargs)
            except (StudentCodeError, AnswerRefused, CallTimeout) as err:
                tried.append(f"`{name}` {_failure(err)}")
                continue
            if (returns is NO_EXAMPLE or agrees(got, returns)) and (accept is None or _accepts(accept, got)):
                fitting.append(name)
            else:
                tried.append(f"`{name}` gives another answer")
        arguments = _arguments(len(args) + len(kwargs))
        example = "" if returns is NO_EXAMPLE and accept is None else " and gives the right answer on the question's example"
        if not fitting:
            looked = f"; tried: {'; '.join(tried[:MAX_NAMED])}" if tried else ""
            raise AnswerNotFound(f"{reason}, and none of its functions takes {arguments}{example}{looked}")
        used, *others = closest_first(fitting, declared)
        return Found("function", declared, used, reason, f"takes {arguments}{example}", tuple(others))

    def _search_model(self, declared: str, input_shape: tuple[int, ...], output_shape: tuple[int | None, ...],
                      trained: bool) -> Found | None:
        listing = self.kernel.models(declared, input_shape)
        models = [_model(entry) for entry in listing["models"]]
        models = [m for m in models if m.places]
        mine = next((m for m in models if declared in m.places), None)
        fitting = [m for m in models if m.output_shape is not None and _shape_fits(m.output_shape, output_shape)]
        if trained:
            fitting = [m for m in fitting if m.trained] or fitting
        maps = f"maps inputs of shape {_shape(input_shape)} to outputs of shape {_shape(output_shape)}"
        if mine is not None and (mine in fitting or not fitting):
            return None  # the declared model, as asked (if it does not fit, its checks say how)
        reason = (_declared_reason(declared, listing["declared"], "a model") if mine is None
                  else f"`{declared}` has not been trained" if mine.output_shape is not None
                  and _shape_fits(mine.output_shape, output_shape)
                  else f"`{declared}` {_model_problem(mine, input_shape)}")
        if not fitting:
            seen = "; ".join(f"`{m.expression}` {_model_problem(m, input_shape)}" for m in models[:MAX_NAMED])
            raise AnswerNotFound(f"{reason}, and none of its models {maps}" + (f" ({seen})" if seen else ""))
        by_expression = {m.expression: m for m in fitting}
        chosen, *others = (by_expression[e] for e in closest_first(list(by_expression), declared))
        fits = ("has been trained and " if trained and chosen.trained else "") + maps
        return Found("model", declared, chosen.expression, reason, fits, tuple(m.expression for m in others))

    def _search_value(self, declared: str, accept: Callable[[object], bool], meaning: str) -> Found | None:
        listing = self.kernel.values(declared)
        if listing["declared"] != "missing":
            return None
        reason = _declared_reason(declared, "missing", "a value")
        fitting = []
        for candidate in listing["candidates"]:
            expression = place_expression(candidate["place"])
            if expression is not None and _accepts(accept, candidate["value"]):
                fitting.append(expression)
        if not fitting:
            raise AnswerNotFound(f"{reason}, and none of its values {meaning}")
        used, *others = closest_first(fitting, declared)
        return Found("value", declared, used, reason, meaning, tuple(others))


# ---- what the kernel sent, read with care (it is the student's process) ----


def place_expression(place: object) -> str | None:
    """The Python expression for a place the kernel listed: `name`, `name[key]` or `name.model`
    (a Keras History's model); None for anything else."""
    if not isinstance(place, list) or not place or not _identifier(place[0]) or len(place) > 2:
        return None
    if len(place) == 1:
        return place[0]
    step = place[1]
    if step == {"attribute": "model"}:
        return f"{place[0]}.model"
    if isinstance(step, (str, int)) and not isinstance(step, bool) and len(repr(step)) <= MAX_KEY_CHARS:
        return f"{place[0]}[{step!r}]"
    return None


def _identifier(name: object) -> bool:
    return isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name)


def _identifiers(names: object) -> list[str]:
    return [name for name in names if _identifier(name)] if isinstance(names, list) else []


def _model(entry: object) -> _Model:
    if not isinstance(entry, dict):
        return _Model((), None, "", False)
    places = [p for p in (place_expression(p) for p in entry.get("places") or []) if p is not None]
    places.sort(key=lambda expression: not expression.isidentifier())  # a name of its own first
    shape = entry.get("output_shape")
    valid = isinstance(shape, list) and all(isinstance(n, int) and not isinstance(n, bool) for n in shape)
    return _Model(tuple(places), tuple(shape) if valid else None, plain(entry.get("problem") or "")[:200],
                  entry.get("trained") is True)


# ---- comparing and describing ----


def agrees(got: object, want: object) -> bool:
    """Whether an answer that came back equals the expected one: numbers and arrays to numpy's
    default tolerance, sequences and dicts item by item, everything else exactly."""
    if isinstance(want, bool) or want is None or isinstance(want, str):
        return type(got) is type(want) and got == want
    if isinstance(want, (int, float, np.number)):
        return (isinstance(got, (int, float)) and not isinstance(got, bool)
                and math.isclose(got, float(want), rel_tol=1e-5, abs_tol=1e-8))
    if isinstance(want, dict):
        return isinstance(got, dict) and got.keys() == want.keys() and all(agrees(got[k], want[k]) for k in want)
    if isinstance(want, (list, tuple)) and not isinstance(got, np.ndarray):
        return isinstance(got, list) and len(got) == len(want) and all(agrees(g, w) for g, w in zip(got, want))
    try:
        got_array, want_array = np.asarray(got), np.asarray(want)
        if got_array.shape != want_array.shape:
            return False
        if got_array.dtype.kind in "biuf" and want_array.dtype.kind in "biuf":
            return bool(np.allclose(got_array, want_array, equal_nan=True))
        return bool(np.array_equal(got_array, want_array))
    except (TypeError, ValueError):  # not comparable as arrays
        return False


def closest_first(names: list[str], declared: str) -> list[str]:
    """`names` ordered by how close each is to `declared` (ties keep the notebook's order)."""
    def closeness(name: str) -> float:
        return difflib.SequenceMatcher(None, name.lower(), declared.lower()).ratio()

    return sorted(names, key=closeness, reverse=True)


def _declared_reason(declared: str, state: str, kind: str) -> str:
    """Why the declared name is not used: one wording per case."""
    if state == "missing":
        return f"your notebook does not define `{declared}`"
    return f"`{declared}` is not {kind}"


def _failure(error: Exception) -> str:
    if isinstance(error, StudentCodeError):
        return f"raised {error.ename}"
    if isinstance(error, CallTimeout):
        return "gave no answer in time"
    return "returned something that is not plain data"


def _accepts(accept: Callable[[object], bool], value: object) -> bool:
    try:
        return bool(accept(value))
    except Exception:  # a value the question's test cannot read is not the answer
        return False


def _arguments(count: int) -> str:
    return "no arguments" if count == 0 else "one argument" if count == 1 else f"{count} arguments"


def _shape(shape: tuple[int | None, ...]) -> str:
    return "(" + ", ".join("any" if n is None else str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def _shape_fits(got: tuple[int, ...], want: tuple[int | None, ...]) -> bool:
    return len(got) == len(want) and all(w is None or g == w for g, w in zip(got, want))


def _model_problem(model: _Model, input_shape: tuple[int, ...]) -> str:
    if model.output_shape is None:
        return f"cannot take inputs of shape {_shape(input_shape)}" + (f" ({model.problem})" if model.problem else "")
    return f"gives outputs of shape {_shape(model.output_shape)}"


def _key(value: object) -> str:
    if value is NO_EXAMPLE:
        return ""
    try:
        return wire.dumps(value)
    except (wire.WireError, TypeError, ValueError):
        return repr(value)
