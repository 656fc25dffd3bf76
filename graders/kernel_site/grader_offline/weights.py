"""Pretrained weights from the folder the instructor fills once (`GRADER_WEIGHTS`).

A file is found by the name the library would download it under, e.g. torchvision's
`resnet18-f37072fd.pth` or Keras's `mobilenet_2_5_128_tf.h5`.
"""

from __future__ import annotations

import os
from pathlib import Path

from grader_offline.offline import OfflineError, note


def path(name: str) -> Path | None:
    """The weights file `name` in the weights folder, if it is there."""
    folder = os.environ.get("GRADER_WEIGHTS", "")
    return Path(folder) / name if folder and (Path(folder) / name).is_file() else None


def find(name: str, url: str) -> Path:
    """The weights file `name` (downloaded from `url` online) in the weights folder."""
    found = path(name)
    if found is None:
        folder = os.environ.get("GRADER_WEIGHTS", "")
        raise OfflineError(
            f"grading runs offline, and the pretrained weights file {name} is not in the grader's weights "
            f"folder ({folder or 'GRADER_WEIGHTS is not set'}): the instructor downloads it once from {url} "
            f"and puts it there, under the name {name}.")
    note(f"pretrained weights {name} read from the grader's weights folder, not downloaded")
    return found
