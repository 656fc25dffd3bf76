"""The grader's copy of a dataset, in the form a library's download would have left it.

The copy is read-only and is used in place where its form fits (an unpacked archive, a file the
library reads as it is); where the library wants another form (gzipped, or Keras's mnist.npz) a
converted copy goes to the kernel's own cache, ~/.cache/offline-data/<dataset>/.
"""

from __future__ import annotations

import gzip
import os
import shutil
import struct
import tempfile
from collections.abc import Callable
from pathlib import Path

from grader_offline import catalogue
from grader_offline.catalogue import IDX_FILES, MNIST_NPZ, Download
from grader_offline.offline import OfflineError, note, variable


def folder(dataset: str) -> Path:
    """The grader's copy of a dataset (the folder its variable names)."""
    title, name = catalogue.TITLES[dataset], variable(dataset)
    path = os.environ.get(name, "")
    if not path or not os.path.isdir(path):
        raise OfflineError(f"grading runs offline, and the grader has no copy of {title}: "
                           f"the instructor puts it in the folder {name} names ({path or 'not set'}).")
    note(f"{title} read from the grader's copy in {name}, not downloaded")
    return Path(path)


def _missing(dataset: str, root: Path, what: str) -> OfflineError:
    return OfflineError(f"grading runs offline, and the grader's copy of {catalogue.TITLES[dataset]} in {root} "
                        f"({variable(dataset)}) has no {what}: the instructor adds it there.")


def archive_folder(dataset: str, unpacks_to: str) -> Path:
    """The folder of the copy that the dataset's archive unpacks to (e.g. cifar-10-batches-py)."""
    root = folder(dataset)
    if not (root / unpacks_to).is_dir():
        raise _missing(dataset, root, f"{unpacks_to}/ folder")
    return root / unpacks_to


def _existing(dataset: str, name: str) -> Path:
    """File `name` of the copy, plain or gzipped (name.gz)."""
    root = folder(dataset)
    for candidate in (root / name, root / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    raise _missing(dataset, root, f"{name} (or {name}.gz)")


def _open(path: Path, mode: str, gzipped: bool | None = None):
    """The file, through gzip if it is gzipped (by default: if its name ends in .gz)."""
    gzipped = path.name.endswith(".gz") if gzipped is None else gzipped
    return gzip.open(path, mode) if gzipped else open(path, mode)


def _write_once(target: Path, write: Callable[[Path], None]) -> Path:
    """Create target by write(temporary file) + rename, unless it exists."""
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        os.close(fd)
        try:
            write(Path(temporary))
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
    return target


def _convert(source: Path, target: Path) -> Path:
    """Copy source to target, (un)compressing as their names say (name.gz is gzipped)."""
    def write(temporary: Path) -> None:
        with _open(source, "rb") as read, _open(temporary, "wb", gzipped=target.name.endswith(".gz")) as out:
            shutil.copyfileobj(read, out)

    return _write_once(target, write)


def _cache(dataset: str) -> Path:
    return Path.home() / ".cache" / "offline-data" / dataset


def idx_file(dataset: str, name: str, gzipped: bool) -> Path:
    """IDX file `name` of the copy, gzipped (name.gz) or plain as asked."""
    source = _existing(dataset, name)
    if source.name.endswith(".gz") == gzipped:
        return source
    return _convert(source, _cache(dataset) / (f"{name}.gz" if gzipped else name))


def _idx_array(path: Path):
    """An IDX file of unsigned bytes as a NumPy array of the shape its header gives."""
    import numpy as np

    with _open(path, "rb") as stream:
        raw = stream.read()
    if raw[:3] != b"\x00\x00\x08":
        raise OfflineError(f"{path} is not an IDX file of unsigned bytes")
    dims = raw[3]
    shape = struct.unpack(f">{dims}I", raw[4:4 + 4 * dims])
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist_npz(dataset: str) -> Path:
    """Keras's mnist.npz: the copy's own, or one made from its IDX files."""
    served = folder(dataset) / MNIST_NPZ
    if served.is_file():
        return served

    def write(temporary: Path) -> None:
        import numpy as np

        keys = ("x_train", "y_train", "x_test", "y_test")  # the order of IDX_FILES
        arrays = {key: _idx_array(_existing(dataset, name)) for key, name in zip(keys, IDX_FILES)}
        with open(temporary, "wb") as stream:
            np.savez(stream, **arrays)

    return _write_once(_cache(dataset) / MNIST_NPZ, write)


def for_keras(download: Download, fname: str, extract: bool, extracts_into_fname: bool) -> Path:
    """What Keras's `get_file` returns for this download.

    An archive: Keras 3 unpacks into <cache>/<fname>/ and returns that folder (the copy's folder
    holds the unpacked folder the same way); tf-keras unpacks into <cache>/ and returns
    <cache>/<fname>.
    """
    if download.unpacks_to is None:
        if download.file == MNIST_NPZ:
            return mnist_npz(download.dataset)
        return idx_file(download.dataset, download.file.removesuffix(".gz"), download.file.endswith(".gz"))
    if not extract:
        raise OfflineError(f"grading runs offline, and the grader keeps {catalogue.TITLES[download.dataset]} "
                           f"unpacked, not as {download.file}: read it from the folder {variable(download.dataset)} names.")
    root = archive_folder(download.dataset, download.unpacks_to).parent
    return root if extracts_into_fname else root / fname


def unpack(download: Download, into: Path) -> None:
    """Leave in `into` what downloading and unpacking would: the archive's folder, or the IDX file."""
    into.mkdir(parents=True, exist_ok=True)
    if download.unpacks_to is not None:
        target = into / download.unpacks_to
        if not target.exists():
            target.symlink_to(archive_folder(download.dataset, download.unpacks_to), target_is_directory=True)
        return
    target = into / download.file.removesuffix(".gz")
    if not target.exists():
        source = _existing(download.dataset, target.name)
        if source.name.endswith(".gz"):
            _convert(source, target)
        else:
            target.symlink_to(source)


def is_served_file(path: str | os.PathLike) -> bool:
    """True for a file of the grader's copy of a dataset, reached through a link or not."""
    real = os.path.realpath(path)
    if not os.path.isfile(real):
        return False
    roots = (os.environ.get(variable(dataset), "") for dataset in catalogue.TITLES)
    return any(root and real.startswith(os.path.realpath(root) + os.sep) for root in roots)
