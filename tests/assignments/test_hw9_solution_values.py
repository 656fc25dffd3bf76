"""Where hw9's solution writes out what the reference has (the build copies a reference function's
body, not its tables or values), it stays the reference's: q3's search space and the values the
notebook trains without a search."""

import ast

import nbformat
import torchvision  # noqa: F401  before TensorFlow: triton (pulled in by torchvision) segfaults when loaded after TF

from reference.hw9.q3_keras_tuner import BEST_HYPERPARAMETERS, SEARCH_SPACE
from tests.assignments.in_process import ASSIGNMENTS, InProcessKernel


def solution_cell(defining: str) -> str:
    """The code cell of hw9's solution notebook that defines the function `defining`."""
    notebook = nbformat.read(ASSIGNMENTS / "hw9" / "solution.ipynb", as_version=4)
    return next(cell.source for cell in notebook.cells if cell.cell_type == "code" and f"def {defining}(" in cell.source)


def test_the_search_space_is_the_references():
    kernel = InProcessKernel("import keras\nimport keras_tuner\n" + solution_cell("build_model"))
    assert kernel.call("search_space") == SEARCH_SPACE


def test_the_values_trained_without_a_search_are_the_references():
    tree = ast.parse(solution_cell("build_best_model"))
    written = [ast.literal_eval(node.value) for node in ast.walk(tree) if isinstance(node, ast.Assign)
               and [getattr(target, "id", None) for target in node.targets] == ["BEST"] and isinstance(node.value, ast.Dict)]
    assert written == [BEST_HYPERPARAMETERS]
