from pathlib import Path

import pytest

from graders import paths
from graders.paths import data_root, hidden_root, repo_root, weights_root


def test_repo_root_is_the_folder_with_pyproject():
    assert (repo_root() / "pyproject.toml").is_file()
    assert (repo_root() / "graders" / "paths.py").is_file()


def test_defaults_are_under_the_repo(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("GRADER_DATA", raising=False)
    monkeypatch.delenv("GRADER_HIDDEN", raising=False)
    monkeypatch.delenv("GRADER_WEIGHTS", raising=False)
    assert data_root() == repo_root() / "data"
    assert hidden_root() == repo_root() / ".grader" / "hidden"
    assert weights_root() == repo_root() / "data" / "weights"


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("GRADER_DATA", str(tmp_path / "d"))
    monkeypatch.setenv("GRADER_HIDDEN", str(tmp_path / "h"))
    monkeypatch.setenv("GRADER_WEIGHTS", str(tmp_path / "w"))
    assert data_root() == tmp_path / "d"
    assert hidden_root() == tmp_path / "h"
    assert weights_root() == tmp_path / "w"


def test_an_installed_engine_keeps_its_data_in_the_user_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    site_packages = tmp_path / "lib" / "python3.11" / "site-packages"  # where a wheel puts graders/
    (site_packages / "graders").mkdir(parents=True)
    monkeypatch.setattr(paths, "REPO_ROOT", site_packages)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("GRADER_DATA", raising=False)
    monkeypatch.delenv("GRADER_HIDDEN", raising=False)
    assert not paths.in_checkout()
    assert data_root() == tmp_path / "cache" / "dl-homework-grader" / "data"
    assert hidden_root() == tmp_path / "cache" / "dl-homework-grader" / ".grader" / "hidden"

