"""Where things live on disk: the checkout, the data kernels see, the data they never see.

Three roots, because they have different audiences:
  * ``data_root()``    — visible (read-only) to student kernels: the training data and the
                         public test parts, in each dataset's real on-disk format;
  * ``weights_root()`` — visible (read-only) to student kernels: pretrained weights files that
                         the instructor downloads once, under the names the libraries download
                         them as (`resnet18-f37072fd.pth`, `vgg16_weights_tf_dim_ordering_tf_kernels.h5`);
  * ``hidden_root()``  — never visible to student kernels: the hidden evaluation splits that
                         grade a submitted model.
All can be moved with environment variables so a grading machine can keep data elsewhere.
Their defaults lie in the checkout; an engine installed from its wheel (a student's machine) has
no checkout and keeps them in the user's cache folder instead.
``KERNEL_SITE`` is the folder a student kernel imports the grader's offline environment from.
"""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent  # the checkout holding graders/, reference/, assignments/
KERNEL_SITE = Path(__file__).resolve().parent / "kernel_site"  # on the kernel's PYTHONPATH: google.colab, ...
COLAB_CONTENT = "/content"  # Colab's working folder; in the sandbox, a link to the kernel's home


def repo_root() -> Path:
    """The checkout's root (the folder holding pyproject.toml)."""
    return REPO_ROOT


def in_checkout() -> bool:
    """True when the engine runs from a checkout, False when it is installed from its wheel
    (then REPO_ROOT is the site-packages folder holding it)."""
    return (REPO_ROOT / "pyproject.toml").is_file()


def _state_root() -> Path:
    """Where the default data folders live: the checkout, or the user's cache folder."""
    if in_checkout():
        return repo_root()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dl-homework-grader"


def data_root() -> Path:
    """$GRADER_DATA if set, else <repo>/data."""
    configured = os.environ.get("GRADER_DATA")
    return Path(configured) if configured else _state_root() / "data"


def weights_root() -> Path:
    """$GRADER_WEIGHTS if set, else weights/ beside the data."""
    configured = os.environ.get("GRADER_WEIGHTS")
    return Path(configured) if configured else _state_root() / "data" / "weights"


def hidden_root() -> Path:
    """$GRADER_HIDDEN if set, else <repo>/.grader/hidden."""
    configured = os.environ.get("GRADER_HIDDEN")
    return Path(configured) if configured else _state_root() / ".grader" / "hidden"
