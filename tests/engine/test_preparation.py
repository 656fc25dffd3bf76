from graders.preparation import prepare_notebook, setup_code

from tests.engine.toy import notebook


def test_shell_lines_do_not_run():
    nb = notebook("!pip install torch\nx = 1\n  %pip install foo", "%%bash\nls /\n", "print('ok')")
    prepared = prepare_notebook(nb)
    first, shell_cell, plain = (c.source for c in prepared.cells)
    assert first.splitlines()[0].startswith("pass  # [grader] not run offline: !pip install torch")
    assert first.splitlines()[1] == "x = 1"
    assert first.splitlines()[2].startswith("  pass  # [grader]")
    assert all(line.startswith("#") for line in shell_cell.splitlines())
    assert plain == "print('ok')"
    assert nb.cells[0].source.startswith("!pip"), "the original notebook is left alone"


def test_setup_code_seeds_and_stubs_colab():
    namespace: dict = {}
    exec(setup_code(11, ()), namespace)
    import random

    import numpy as np

    first = (random.random(), np.random.rand())
    exec(setup_code(11, ()), namespace)
    assert (random.random(), np.random.rand()) == first
    from google.colab import drive  # the stub installed by the setup code

    drive.mount("/content/drive")
