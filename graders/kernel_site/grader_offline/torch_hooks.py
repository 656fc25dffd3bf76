"""torchvision's dataset downloads and torch's pretrained weights, served offline.

* `torchvision.datasets.utils.download_and_extract_archive`, which MNIST, FashionMNIST, CIFAR10
  and CIFAR100 call for `download=True`: leaves in the dataset's root what downloading and
  unpacking would (the CIFAR folder linked to the grader's copy, the IDX files), whatever root
  the notebook gives. Any other URL, and `download_url`, raise OfflineError.
* `check_integrity`: torchvision compares the CIFAR files with the md5 sums of the real set;
  a file of the grader's copy is accepted as it is (it was not downloaded, and it is read-only).
* `torch.hub.load_state_dict_from_url` (every `torchvision.models.*(weights=...)`): a file that
  is not in the hub cache is read from the weights folder, where it is found by the name it
  would be downloaded under; torch's own loading does the rest.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

from grader_offline import catalogue, served, weights
from grader_offline.after_import import bound
from grader_offline.offline import blocked


def _serve_torchvision_downloads(utils: ModuleType) -> None:
    download_and_extract_archive, check_integrity = utils.download_and_extract_archive, utils.check_integrity

    @functools.wraps(download_and_extract_archive)
    def serve_archive(*args, **kwargs) -> None:
        given = bound(download_and_extract_archive, args, kwargs).arguments
        download = catalogue.find(given["url"])
        if download is None:
            raise blocked(given["url"])
        served.unpack(download, Path(os.path.expanduser(given["extract_root"] or given["download_root"])))

    @functools.wraps(utils.download_url)
    def refuse_download(url, *args, **kwargs) -> None:
        raise blocked(url)

    @functools.wraps(check_integrity)
    def served_or_intact(fpath, md5=None) -> bool:
        return check_integrity(fpath, md5) or served.is_served_file(fpath)

    utils.download_and_extract_archive = serve_archive
    utils.download_url = refuse_download
    utils.check_integrity = served_or_intact


def _serve_pretrained_weights(hub: ModuleType) -> None:
    original = hub.load_state_dict_from_url

    @functools.wraps(original)
    def load_state_dict_from_url(*args, **kwargs):
        call = bound(original, args, kwargs)
        given = call.arguments
        name = given["file_name"] or os.path.basename(urlsplit(given["url"]).path)
        model_dir = given["model_dir"] or os.path.join(hub.get_dir(), "checkpoints")
        if not os.path.exists(os.path.join(model_dir, name)):
            given["model_dir"] = str(weights.find(name, given["url"]).parent)
        return original(*call.args, **call.kwargs)

    hub.load_state_dict_from_url = load_state_dict_from_url


PATCHES = {
    "torchvision.datasets.utils": _serve_torchvision_downloads,
    "torch.hub": _serve_pretrained_weights,
}
