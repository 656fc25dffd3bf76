"""Every assignment's committed notebooks are exactly what its build_notebooks.py makes."""

import importlib.util
from pathlib import Path

import pytest

from graders.authoring import write_assignment

ASSIGNMENTS = Path(__file__).resolve().parents[2] / "assignments"
BUILDERS = sorted(ASSIGNMENTS.glob("*/build_notebooks.py"))


def load(builder: Path):
    spec = importlib.util.spec_from_file_location(f"build_{builder.parent.name}", builder)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("builder", BUILDERS, ids=[b.parent.name for b in BUILDERS])
def test_committed_notebooks_match_their_source(builder, tmp_path):
    module = load(builder)
    write_assignment(tmp_path, module.CELLS, module.DEMOS)
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.ipynb"))
    assert built, "the builder wrote no notebooks"
    for relative in built:
        committed = builder.parent / relative
        assert committed.is_file(), f"{committed} is missing: run {builder}"
        assert committed.read_bytes() == (tmp_path / relative).read_bytes(), f"{committed} is stale: run {builder}"


def test_there_is_a_builder_per_assignment():
    assert "hw4" in [b.parent.name for b in BUILDERS]
