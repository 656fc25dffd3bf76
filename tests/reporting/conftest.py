"""Fixtures of the reporting tests: a small assignment with a bonus question and a class-ranking bonus."""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.spec import Assignment, load_assignment

SPEC = """
id = "demo"
title = { en = "Demo homework", fa = "تمرین نمونه" }

[[questions]]
id = "q1"
auto_points = 2
title = { en = "Add", fa = "جمع" }
[[questions.rubric]]
id = "explain"
points = 1
text = { en = "Explains addition", fa = "توضیح جمع" }

[[questions]]
id = "q2"
auto_points = 3
title = { en = "Scale", fa = "مقیاس" }
[questions.rank_bonus]
metric = "accuracy"
points = [20, 10, 5]

[[questions]]
id = "q3"
auto_points = 1
bonus = true
title = { en = "Extra", fa = "اضافه" }
[[questions.rubric]]
id = "essay"
points = 2
text = { en = "A short essay", fa = "یک مقالهٔ کوتاه" }
"""


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Assignment:
    folder: Path = tmp_path_factory.mktemp("demo")
    (folder / "assignment.toml").write_text(SPEC, encoding="utf-8")
    return load_assignment(folder)
