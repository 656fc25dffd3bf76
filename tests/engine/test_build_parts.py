"""The pieces of `grade build`: solution markers, stubs, bodies taken from the reference, frozen values."""

import inspect

import numpy as np
import pytest

from graders import expected as frozen
from graders.build.inline import DirectiveError, borrowed_bodies, expand
from graders.build.markers import STUB, MarkerError, solution_text, student_text
from graders.build.stubs import defined_names, needed_names, stub_definitions
from reference.hw4.q4_dilated import receptive_field

MARKED = (
    "def f(x):\n"
    "    # BEGIN SOLUTION\n"
    "    return 2 * x\n"
    "    # END SOLUTION\n"
    "# BEGIN SOLUTION: MODEL = None\n"
    "MODEL = 'trained'\n"
    "# END SOLUTION"
)


def test_markers_give_the_solution_and_the_student_text():
    assert solution_text(MARKED) == "def f(x):\n    return 2 * x\nMODEL = 'trained'"
    assert student_text(MARKED) == f"def f(x):\n    {STUB}\nMODEL = None"


@pytest.mark.parametrize(("text", "line", "problem"), [
    ("x = 1\n# BEGIN SOLUTION\nx = 2", 2, "never closed"),
    ("x = 1\n# END SOLUTION", 2, "without a # BEGIN SOLUTION"),
    ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", 2,
     "a second # BEGIN SOLUTION before the # END SOLUTION of the one 1 line above"),
])
def test_markers_that_do_not_pair_up_are_refused_at_their_line(text, line, problem):
    with pytest.raises(MarkerError, match=problem) as caught:
        student_text(text)
    assert caught.value.line == line


def test_stubs_keep_signatures_decorators_docstrings_and_class_attributes():
    source = (
        "@decorate\n"
        "def f(\n"
        "    x,\n"
        "):\n"
        "    # the secret method\n"
        "\n"
        "    return x\n"
        "\n"
        "\n"
        "class Model:\n"
        '    """A model."""\n'
        "\n"
        "    size: int = 3\n"
        "\n"
        "    def forward(self, x):\n"
        '        """The output."""\n'
        "        return self.size * x\n"
    )
    assert stub_definitions(source) == (
        f"@decorate\ndef f(\n    x,\n):\n    {STUB}\n\n\n"
        f'class Model:\n    """A model."""\n\n    size: int = 3\n\n    def forward(self, x):\n        """The output."""\n        {STUB}'
    )
    assert stub_definitions(source, {"Model"}).startswith("@decorate\ndef f(\n    x,\n):\n    # the secret method")


def test_names_a_cell_defines_and_a_definition_needs():
    assert defined_names("import numpy as np\n%matplotlib inline\nfor i in range(2):\n    pass\ndef g():\n    y = 1") \
        == {"np", "i", "g"}
    assert needed_names("def f(x):\n    return np.sum(helper(x)) + len(x)") == {"np", "helper"}
    assert needed_names("class C(nn.Module):\n    def forward(self, x):\n        return F.relu(x)") == {"nn", "F"}
    # a method's body on its own, as a directive borrows it: super() reads the class's __class__ cell
    assert needed_names("def __init__(self):\n    super().__init__()\n    self.relu = nn.ReLU()") == {"nn"}


CELL = (
    "def receptive_field(kernel, dilation=1, layers=1):\n"
    '    """Receptive-field width of stacked convolutions."""\n'
    "    # SOLUTION FROM reference.hw4.q4_dilated.receptive_field\n"
)


def test_a_body_from_the_reference_fills_the_solution_and_a_stub_the_student_version():
    body = inspect.getsource(receptive_field).splitlines()[-1].strip()  # `return 1 + layers * ...`
    bodies = borrowed_bodies(CELL)
    solution, student = expand(CELL, bodies, "solution"), expand(CELL, bodies, "student")
    assert solution.splitlines()[:2] == CELL.splitlines()[:2] and f"    {body}" in solution.splitlines()
    assert receptive_field.__doc__ not in solution  # the notebook's own docstring, not the reference's
    assert student == CELL.replace("# SOLUTION FROM reference.hw4.q4_dilated.receptive_field", STUB).rstrip("\n")
    namespace = {}
    exec(solution, namespace)
    assert namespace["receptive_field"](3, 2, 3) == receptive_field(3, 2, 3) == 13


@pytest.mark.parametrize(("cell", "problem"), [
    (CELL.replace("dilation=1", "dilation=2"), r"parameters differ from reference.hw4.q4_dilated.receptive_field's"),
    (CELL.replace("layers=1", "depth=1"), "parameters differ"),
    (CELL.replace("receptive_field\n", "receptive_feld\n"), "reference.hw4.q4_dilated has no receptive_feld"),
    (CELL.replace("reference.hw4.q4_dilated", "reference.hw4.q9_missing"), "reference.hw4 has no q9_missing.receptive_field"),
    (CELL.replace("reference.hw4.q4_dilated", "reference.hw99.q4_dilated"), "no module of reference.hw99"),
    (CELL.replace("reference.hw4.q4_dilated.receptive_field", "numpy.sum"), "a solution comes from the reference"),
    (CELL.replace("reference.hw4.q4_dilated.receptive_field", "reference.hw4.q4_dilated.np"), "is not a function"),
    (CELL.replace('    """Receptive-field width of stacked convolutions."""\n', "    x = 1\n"), "whole body of a function"),
])
def test_a_directive_that_cannot_be_served_is_refused_at_its_line(cell, problem):
    with pytest.raises(DirectiveError, match=problem) as caught:
        borrowed_bodies(cell)
    assert caught.value.line == 3


def test_a_borrowed_body_says_which_names_it_needs():
    (borrowed,) = borrowed_bodies(CELL.replace("q4_dilated.receptive_field", "q4_dilated.dilation_matrix")
                                  .replace("receptive_field(kernel, dilation=1, layers=1)", "dilation_matrix(D)"))
    assert borrowed.needs == {"np"}


def test_frozen_values_round_trip_exactly_and_always_give_the_same_bytes(tmp_path):
    rng = np.random.default_rng(0)
    values = {"b.array": rng.standard_normal((3, 4)), "a.cases": [{"t": (1, 2), "n": 3, "x": 0.1 + 0.2}],
              "c.ints": np.arange(5, dtype=np.int64), "d.scalar": np.float64(2.5), "e.zero_d": np.asarray(1.5)}
    content = frozen.dumps(values)
    assert content == frozen.dumps(dict(reversed(list(values.items()))))  # key order does not matter
    (tmp_path / "expected.json").write_bytes(content)
    loaded = frozen.load(tmp_path / "expected.json")
    assert np.array_equal(loaded["b.array"], values["b.array"]) and loaded["b.array"].dtype == np.float64
    assert loaded["a.cases"] == [{"t": [1, 2], "n": 3, "x": 0.1 + 0.2}]
    assert loaded["c.ints"].dtype == np.int64 and loaded["d.scalar"] == 2.5 and loaded["e.zero_d"] == 1.5


def test_frozen_values_refuse_what_is_not_plain_data():
    with pytest.raises(frozen.wire.WireError):
        frozen.dumps({"q1.model": object()})


def test_cells_with_ipython_magics_still_build():
    cell = "%matplotlib inline\n!pip list\n" + CELL
    assert expand(cell, borrowed_bodies(cell), "student").startswith("%matplotlib inline\n!pip list\ndef receptive_field(")
    assert defined_names(cell) == {"receptive_field"}


def test_a_method_that_calls_super_takes_its_class_from_the_notebook():
    from reference.hw2 import q6_cifar_models

    cell = (
        "class ConvNet(nn.Module):\n"
        "    def __init__(self, depth, width=24, batch_norm=False, n_classes=10):\n"
        '        """Conv blocks, then a linear head."""\n'
        "        # SOLUTION FROM reference.hw2.q6_cifar_models.ConvNet.__init__\n"
        "\n"
        "    def forward(self, x):\n"
        '        """Logits."""\n'
        "        # SOLUTION FROM reference.hw2.q6_cifar_models.ConvNet.forward\n"
    )
    bodies = borrowed_bodies(cell)
    # super() reads the implicit __class__ of the class it is written in: the notebook's, not a global
    assert [b.needs for b in bodies] == [{"MAX_DEPTH", "conv_block", "nn"}, set()]
    namespace = {name: getattr(q6_cifar_models, name) for name in ("MAX_DEPTH", "conv_block", "nn")}
    exec(expand(cell, bodies, "solution"), namespace)
    ours, theirs = namespace["ConvNet"](2, batch_norm=True), q6_cifar_models.ConvNet(2, batch_norm=True)
    assert [p.shape for p in ours.parameters()] == [p.shape for p in theirs.parameters()]
