"""The engine's layering: it imports no answers, and defines the languages and the paths once."""

import ast
import re
from pathlib import Path

from graders.build.notebooks import QUESTION_HEADING
from graders.paths import REPO_ROOT
from graders.spec import LANGUAGES, Text
from reports.i18n import WORDS

ENGINE = sorted(p for package in ("graders", "reports") for p in (REPO_ROOT / package).rglob("*.py"))


def imported_modules(path: Path) -> list[tuple[int, str]]:
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.append((node.lineno, node.module or ""))
    return modules


def test_the_engine_imports_no_answers():
    assert len(ENGINE) > 30
    offending = [f"{p.relative_to(REPO_ROOT)}:{line}" for p in ENGINE for line, module in imported_modules(p)
                 if module == "reference" or module.startswith("reference.")]
    assert offending == [], "the engine must run where the reference is not installed"


def test_languages_are_defined_once():
    assert LANGUAGES == ("en", "fa") == tuple(f for f in Text.__dataclass_fields__)
    assert tuple(WORDS) == LANGUAGES, "reports/i18n.py has words for exactly the spec's languages"
    assert tuple(QUESTION_HEADING) == LANGUAGES
    assert Text("a", "b")["fa"] == "b" and Text("a", "b")["de"] == "a"


def test_the_repository_root_is_found_in_one_place():
    finds_root = re.compile(r"__file__\)?\.resolve\(\)\.parent\.parent|__file__\)?\.resolve\(\)\.parents\[")
    places = [p.relative_to(REPO_ROOT).as_posix() for p in ENGINE if finds_root.search(p.read_text(encoding="utf-8"))]
    assert places == ["graders/paths.py"]
