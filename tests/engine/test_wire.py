import base64
import io
import json
import math
import pickle

import numpy as np
import pytest

from graders import wire


def roundtrip(value):
    return wire.loads(wire.dumps(value))


def test_plain_data_roundtrips():
    value = {"a": [1, 2.5, "x", None, True], "b": {"c": [[1, 2], [3, 4]]}}
    assert roundtrip(value) == value


def test_arrays_keep_dtype_shape_and_values():
    for array in (np.arange(12, dtype=np.int16).reshape(3, 4), np.random.default_rng(0).normal(size=(2, 3, 4)).astype(np.float32)):
        back = roundtrip(array)
        assert back.dtype == array.dtype and back.shape == array.shape
        np.testing.assert_array_equal(back, array)


def test_non_finite_floats():
    back = roundtrip([math.nan, math.inf, -math.inf])
    assert math.isnan(back[0]) and back[1] == math.inf and back[2] == -math.inf


def test_numpy_scalars_become_python_numbers():
    assert roundtrip(np.float64(1.5)) == 1.5 and type(roundtrip(np.int64(3))) is int


def test_object_arrays_cannot_travel():
    with pytest.raises(wire.WireError, match="Python objects"):
        wire.dumps(np.array([object()], dtype=object))


def test_arbitrary_objects_cannot_travel():
    class Liar:
        def __eq__(self, other):
            return True

    with pytest.raises(wire.WireError, match="Liar"):
        wire.dumps(Liar())


def test_lying_array_protocol_yields_a_real_array():
    class Liar:
        def __array__(self, dtype=None, copy=None):
            return np.zeros(3)

        def __eq__(self, other):
            return True

    back = roundtrip(Liar())
    assert isinstance(back, np.ndarray)
    assert not np.array_equal(back, np.ones(3))


def test_a_pickle_smuggled_as_npy_is_refused():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    payload = json.dumps({"__ndarray__": base64.b64encode(buffer.getvalue()).decode()})
    with pytest.raises(ValueError, match="allow_pickle"):
        wire.loads(payload)
    raw_pickle = json.dumps({"__ndarray__": base64.b64encode(pickle.dumps([1])).decode()})
    with pytest.raises(ValueError):
        wire.loads(raw_pickle)


def test_dict_keys_must_be_strings():
    with pytest.raises(wire.WireError, match="keys must be strings"):
        wire.dumps({1: 2})
