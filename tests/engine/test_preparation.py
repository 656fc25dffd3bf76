import ast

import nbformat

from graders.preparation import imported_modules, preload_modules, prepare_notebook, setup_code
from tests.engine.toy import notebook, write_notebook


def test_shell_lines_do_not_run():
    nb = notebook("!pip install torch\nx = 1\n  %pip install foo", "%%bash\nls /\n", "print('ok')")
    prepared = prepare_notebook(nb)
    first, shell_cell, plain = (c.source for c in prepared.notebook.cells)
    assert first.splitlines()[0].startswith("pass  # [grader] not run (grading is offline, without a shell): !pip install torch")
    assert first.splitlines()[1] == "x = 1"
    assert first.splitlines()[2].startswith("  pass  # [grader]")
    assert all(line.startswith("#") for line in shell_cell.splitlines())
    assert plain == "print('ok')"
    assert nb.cells[0].source.startswith("!pip"), "the original notebook is left alone"
    assert [(n.cell, n.text) for n in prepared.notes] == [
        (0, "not run (grading is offline, without a shell): !pip install torch"),
        (0, "not run (grading is offline, without a shell): %pip install foo"),
        (1, "not run (grading is offline, without a shell): the %%bash cell"),
    ]


def test_colab_lines_become_valid_python_with_one_note_each():
    source = (
        "%tensorflow_version 2.x\n"
        "!wget -q https://example.com/a.zip \\\n"
        "     -O a.zip\n"
        "!unzip -q a.zip\n"
        "if True:\n"
        "    !pip install keras-tuner\n"
        "%matplotlib inline\n"
        "y = 2"
    )
    prepared = prepare_notebook(notebook("# a markdown-free notebook", source, "%%shell\necho hi"))
    cell = prepared.notebook.cells[1].source
    ast.parse("\n".join(line for line in cell.splitlines() if not line.startswith("%matplotlib")))
    assert "%matplotlib inline" in cell.splitlines(), "%matplotlib inline works offline: it runs"
    assert [n.text for n in prepared.notes] == [
        "not needed (the grader runs TensorFlow 2): %tensorflow_version 2.x",
        "not run (grading is offline, without a shell): !wget -q https://example.com/a.zip \\",
        "not run (grading is offline, without a shell): !unzip -q a.zip",
        "not run (grading is offline, without a shell): !pip install keras-tuner",
        "not run (grading is offline, without a shell): the %%shell cell",
    ]
    assert [n.cell for n in prepared.notes] == [1, 1, 1, 1, 2]


def test_content_paths_point_at_the_working_folder():
    source = (
        "drive.mount('/content/drive')\n"
        "img = cv2.imread(\"/content/drive/MyDrive/HW9/img1.jpg\")\n"
        "os.chdir('/content')\n"
        "keep = ['/contents/x', 'https://a.org/content/x', '/data/content', 'content/x']"
    )
    moved = prepare_notebook(notebook(source), content_dir="/tmp/work").notebook.cells[0].source.splitlines()
    assert moved[:3] == [
        "drive.mount('/tmp/work/drive')",
        "img = cv2.imread(\"/tmp/work/drive/MyDrive/HW9/img1.jpg\")",
        "os.chdir('/tmp/work')",
    ]
    assert moved[3] == source.splitlines()[3]
    assert prepare_notebook(notebook(source)).notebook.cells[0].source == source, "nothing to move when /content is real"


def test_setup_code_seeds():
    namespace: dict = {}
    exec(setup_code(11, ()), namespace)
    import random

    import numpy as np

    first = (random.random(), np.random.rand())
    exec(setup_code(11, ()), namespace)
    assert (random.random(), np.random.rand()) == first
    assert set(namespace) == {"__builtins__"}, "the seeding binds no name the notebook could see"


def test_the_handed_out_notebooks_imports_are_read_line_by_line(tmp_path):
    path = write_notebook(tmp_path, "student.ipynb",
                          "%matplotlib inline\nimport os, numpy as np\nimport matplotlib.pyplot as plt  # plots",
                          "from sklearn.metrics import f1_score\ndef f():\n    import cv2\nx = 'import nothing'",
                          "from . import local\nimport PIL.Image as Image, keras")
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("import pandas"))  # prose, not code
    nbformat.write(nb, path)
    assert imported_modules(path) == ("os", "numpy", "matplotlib.pyplot", "sklearn.metrics", "cv2", "PIL.Image",
                                      "keras")
    assert imported_modules(tmp_path / "missing.ipynb") == ()
    (tmp_path / "broken.ipynb").write_text("{not json", encoding="utf-8")
    assert imported_modules(tmp_path / "broken.ipynb") == ()


def test_preloads_are_the_frameworks_in_a_safe_order_then_the_notebooks_slow_libraries():
    imports = ("os", "tensorflow", "matplotlib.pyplot", "cv2", "sklearn.metrics", "matplotlib.pyplot", "keras")
    assert preload_modules(("tensorflow", "torch"), imports) == (
        "numpy", "torch", "torchvision", "tensorflow", "matplotlib.pyplot", "sklearn.metrics", "keras")
    assert preload_modules((), ("os", "cv2", "json")) == ("numpy",)  # cv2 starts a thread when imported
