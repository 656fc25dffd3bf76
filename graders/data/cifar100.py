"""CIFAR-100 in its real on-disk format: the python-pickle files of cifar-100-python/.

The format (https://www.cs.toronto.edu/~kriz/cifar.html) is CIFAR-10's (see cifar10.py: Python-2
string keys, uint8 rows of 3072 values, R plane then G then B) with three files instead of six:
  * train and test — b'data' [N, 3072], b'fine_labels' (0..99) and b'coarse_labels' (0..19), one
    per image, b'filenames', b'batch_label';
  * meta — b'fine_label_names' (100) and b'coarse_label_names' (20), both in alphabetical order.
Keras reads it with ``load_batch(path, label_key='fine_labels')``; torchvision with
``pickle.load(f, encoding='latin1')``.
"""

from pathlib import Path

import numpy as np

from graders.data.cifar10 import images_to_rows, rows_to_images, unpickle, write_python2_pickle
from graders.data.splits import Split4

FOLDER = "cifar-100-python"
TRAIN_FILE = "train"
TEST_FILE = "test"
META_FILE = "meta"

# The 20 superclasses of the cifar page and their 5 classes each.
SUPERCLASSES = {
    "aquatic_mammals": ("beaver", "dolphin", "otter", "seal", "whale"),
    "fish": ("aquarium_fish", "flatfish", "ray", "shark", "trout"),
    "flowers": ("orchid", "poppy", "rose", "sunflower", "tulip"),
    "food_containers": ("bottle", "bowl", "can", "cup", "plate"),
    "fruit_and_vegetables": ("apple", "mushroom", "orange", "pear", "sweet_pepper"),
    "household_electrical_devices": ("clock", "keyboard", "lamp", "telephone", "television"),
    "household_furniture": ("bed", "chair", "couch", "table", "wardrobe"),
    "insects": ("bee", "beetle", "butterfly", "caterpillar", "cockroach"),
    "large_carnivores": ("bear", "leopard", "lion", "tiger", "wolf"),
    "large_man-made_outdoor_things": ("bridge", "castle", "house", "road", "skyscraper"),
    "large_natural_outdoor_scenes": ("cloud", "forest", "mountain", "plain", "sea"),
    "large_omnivores_and_herbivores": ("camel", "cattle", "chimpanzee", "elephant", "kangaroo"),
    "medium_mammals": ("fox", "porcupine", "possum", "raccoon", "skunk"),
    "non-insect_invertebrates": ("crab", "lobster", "snail", "spider", "worm"),
    "people": ("baby", "boy", "girl", "man", "woman"),
    "reptiles": ("crocodile", "dinosaur", "lizard", "snake", "turtle"),
    "small_mammals": ("hamster", "mouse", "rabbit", "shrew", "squirrel"),
    "trees": ("maple_tree", "oak_tree", "palm_tree", "pine_tree", "willow_tree"),
    "vehicles_1": ("bicycle", "bus", "motorcycle", "pickup_truck", "train"),
    "vehicles_2": ("lawn_mower", "rocket", "streetcar", "tank", "tractor"),
}
FINE_LABEL_NAMES = tuple(sorted(name for names in SUPERCLASSES.values() for name in names))
COARSE_LABEL_NAMES = tuple(sorted(SUPERCLASSES))
# fine label -> coarse label
COARSE_OF_FINE = np.array([
    COARSE_LABEL_NAMES.index(next(coarse for coarse, names in SUPERCLASSES.items() if fine in names))
    for fine in FINE_LABEL_NAMES
])


def _part(batch_label: str, images: np.ndarray, fine_labels: np.ndarray, first_index: int) -> dict:
    return {
        b"filenames": [f"synthetic_{first_index + i:06d}.png".encode("ascii") for i in range(len(images))],
        b"batch_label": batch_label.encode("ascii"),
        b"fine_labels": [int(label) for label in fine_labels],
        b"coarse_labels": [int(COARSE_OF_FINE[label]) for label in fine_labels],
        b"data": images_to_rows(images),
    }


def write_cifar100(root: Path, x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray,
                   y_test: np.ndarray) -> Path:
    """Write root/cifar-100-python/ (train, test, meta) from fine labels; return that folder."""
    folder = Path(root) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    write_python2_pickle(folder / TRAIN_FILE, _part("training batch 1 of 1", x_train, y_train, 0))
    write_python2_pickle(folder / TEST_FILE, _part("testing batch 1 of 1", x_test, y_test, len(x_train)))
    meta = {
        b"fine_label_names": [name.encode("ascii") for name in FINE_LABEL_NAMES],
        b"coarse_label_names": [name.encode("ascii") for name in COARSE_LABEL_NAMES],
    }
    write_python2_pickle(folder / META_FILE, meta)
    return folder


def load_cifar100(root: Path, label_mode: str = "fine") -> Split4:
    """Read root/cifar-100-python/ -> uint8 [N, 32, 32, 3] images and int64 fine or coarse labels."""
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f"label_mode must be 'fine' or 'coarse', not {label_mode!r}")
    key = f"{label_mode}_labels".encode("ascii")
    parts = [unpickle(Path(root) / FOLDER / name) for name in (TRAIN_FILE, TEST_FILE)]
    (x_train, y_train), (x_test, y_test) = (
        (rows_to_images(np.asarray(part[b"data"], dtype=np.uint8)), np.asarray(part[key], dtype=np.int64))
        for part in parts
    )
    return Split4(x_train, y_train, x_test, y_test)
