"""Cache keys: a stored result is reused only if nothing it depends on has changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from graders import __version__
from graders.paths import REPO_ROOT
from graders.spec import Assignment

_ENGINE = REPO_ROOT / "graders"
_REFERENCE = REPO_ROOT / "reference"


def tree_hash(*roots: Path, suffixes: tuple[str, ...] = (".py", ".toml", ".ini", ".json")) -> str:
    """A hash of every source file under the roots (path and content), in a stable order."""
    digest = hashlib.sha256()
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix in suffixes)
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(root.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def grading_inputs_hash(assignment: Assignment) -> str:
    """What every submission's grade depends on besides its own notebook."""
    roots = [assignment.root / "assignment.toml", assignment.tests_dir, _ENGINE, _REFERENCE]
    return tree_hash(*(r for r in roots if r.exists()))


def cache_key(notebook_sha256: str, inputs_hash: str, mode: str, profile: str) -> str:
    text = "\n".join((__version__, notebook_sha256, inputs_hash, mode, profile))
    return hashlib.sha256(text.encode()).hexdigest()
