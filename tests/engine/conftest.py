"""Fixtures of the engine's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.spec import Assignment, load_assignment
from tests.engine.toy import RIGHT_ADD, RIGHT_SCALE, TOY, write_notebook


@pytest.fixture(scope="session")
def toy() -> Assignment:
    return load_assignment(TOY)


@pytest.fixture
def toy_submissions(tmp_path: Path) -> Path:
    """Right, partly wrong, erroring and broken submissions to the toy assignment."""
    folder = tmp_path / "submissions"
    folder.mkdir()
    write_notebook(folder, "alice.ipynb", RIGHT_ADD, RIGHT_SCALE)
    write_notebook(folder, "bob.ipynb", "import numpy as np\ndef add(a, b):\n    return a - b", RIGHT_SCALE)
    write_notebook(folder, "carol.ipynb", RIGHT_ADD, "undefined_name + 1\n" + RIGHT_SCALE)
    (folder / "dave.ipynb").write_text("{not json", encoding="utf-8")
    return folder
