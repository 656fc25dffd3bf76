"""Where datasets live on disk.

Two roots, because they have different audiences:
  * ``data_root()``   — visible (read-only) to student kernels: the training data and the
                        public test parts, in each dataset's real on-disk format;
  * ``hidden_root()`` — never visible to student kernels: the hidden evaluation splits that
                        grade a submitted model.
Both can be moved with environment variables so a grading machine can keep data elsewhere.
"""

import os
from pathlib import Path


def repo_root() -> Path:
    """The checkout's root: the nearest ancestor of this file that holds pyproject.toml."""
    here = Path(__file__).resolve()
    for folder in here.parents:
        if (folder / "pyproject.toml").is_file():
            return folder
    raise FileNotFoundError(f"no pyproject.toml above {here}; set GRADER_DATA and GRADER_HIDDEN")


def data_root() -> Path:
    """$GRADER_DATA if set, else <repo>/data."""
    configured = os.environ.get("GRADER_DATA")
    return Path(configured) if configured else repo_root() / "data"


def hidden_root() -> Path:
    """$GRADER_HIDDEN if set, else <repo>/.grader/hidden."""
    configured = os.environ.get("GRADER_HIDDEN")
    return Path(configured) if configured else repo_root() / ".grader" / "hidden"
