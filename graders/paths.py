"""Where things live on disk: the checkout, the data kernels see, the data they never see.

Two roots, because they have different audiences:
  * ``data_root()``   — visible (read-only) to student kernels: the training data and the
                        public test parts, in each dataset's real on-disk format;
  * ``hidden_root()`` — never visible to student kernels: the hidden evaluation splits that
                        grade a submitted model.
Both can be moved with environment variables so a grading machine can keep data elsewhere.
"""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent  # the checkout holding graders/, reference/, assignments/


def repo_root() -> Path:
    """The checkout's root (the folder holding pyproject.toml)."""
    return REPO_ROOT


def data_root() -> Path:
    """$GRADER_DATA if set, else <repo>/data."""
    configured = os.environ.get("GRADER_DATA")
    return Path(configured) if configured else repo_root() / "data"


def hidden_root() -> Path:
    """$GRADER_HIDDEN if set, else <repo>/.grader/hidden."""
    configured = os.environ.get("GRADER_HIDDEN")
    return Path(configured) if configured else repo_root() / ".grader" / "hidden"
