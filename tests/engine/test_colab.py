"""Colab notebooks as students wrote them in 2021, graded offline by the real worker and sandbox
against tests/fixtures/colab: each gets its question's point, and its record says what the grader
did differently from Colab (lines not run, downloads served) and why a blocked download failed."""

from __future__ import annotations

import base64
import dataclasses
import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from graders.batch import BatchOptions, grade_batch
from graders.data.profiles import kernel_dataset_dirs
from graders.kernel import StudentKernel
from graders.record import GradingNote, ResultRecord
from graders.sandbox import SandboxPolicy, kernel_scratch
from graders.scoring import grade
from graders.spec import load_assignment
from graders.worker import kernel_env, kernel_mounts
from reports.i18n import WORDS
from reports.render import render_student
from tests.engine.toy import notebook, write_notebook

COLAB = Path(__file__).resolve().parent.parent / "fixtures" / "colab"

NOTEBOOKS = {
    "drive": (
        "from google.colab import drive\ndrive.mount('/content/drive')",
        "import os\n"
        "with open('/content/drive/MyDrive/HW9/notes.txt') as f:\n"
        "    notes = f.read()\n"
        "listing = sorted(os.listdir('/content/drive/MyDrive/cifar10'))\n"
        "print(notes)",
    ),
    "keras_cifar10": (
        "%tensorflow_version 2.x\nimport tensorflow as tf\nfrom tensorflow import keras\nprint(tf.__version__)",
        "# my own copy of the data first\n"
        "path = keras.utils.get_file('cifar10_extra.zip', 'https://example.com/hw9/cifar10_extra.zip', extract=True)",
        "(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()\n"
        "print(x_train.shape, y_train.shape, x_test.shape, y_test.shape)",
        "x_train_norm, x_test_norm = x_train / 255.0, x_test / 255.0",
    ),
    "torch_cifar10": (
        "import numpy as np\nimport torch\nimport torchvision\nimport torchvision.transforms as transforms\n"
        "transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])",
        "trainset = torchvision.datasets.CIFAR10(root='./data', train=True, download=True, transform=transform)\n"
        "trainloader = torch.utils.data.DataLoader(trainset, batch_size=4, shuffle=True, num_workers=2)\n"
        "testset = torchvision.datasets.CIFAR10(root='./data', train=False, download=True, transform=transform)\n"
        "classes = trainset.classes",
        "images, labels = next(iter(trainloader))\nbatch_shape = tuple(images.shape)",
    ),
    "locally_connected": (
        "%tensorflow_version 2.x\nimport tensorflow as tf\nfrom tensorflow.keras import layers, models",
        "model = models.Sequential([\n"
        "    layers.Conv2D(20, (7, 7), activation='relu', input_shape=(28, 28, 1)),\n"
        "    layers.MaxPooling2D((2, 2), strides=2),\n"
        "    layers.Conv2D(10, (5, 5), activation='relu'),\n"
        "    layers.LocallyConnected2D(2, (3, 3), activation='relu'),\n"
        "    layers.Flatten(),\n"
        "    layers.Dense(10, activation='softmax'),\n"
        "])\n"
        "model.summary()",
        "import keras\nsame_keras = keras.layers.LocallyConnected2D is layers.LocallyConnected2D",
    ),
    "opencv": (
        "import cv2\nimport numpy as np\nfrom google.colab import drive\ndrive.mount('/content/drive')",
        "img = cv2.imread('/content/drive/MyDrive/HW9/img1.png', cv2.IMREAD_GRAYSCALE)\nprint(img.shape)",
        "kernels = [np.ones((3, 3), np.float32) / 9,\n"
        "           np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], np.float32),\n"
        "           np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], np.float32),\n"
        "           np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float32)]\n"
        "filtered = [cv2.filter2D(img, cv2.CV_64F, k) for k in kernels]",
    ),
    "colab_helpers": (
        "!pip install -q keras-tuner\n!wget -q https://github.com/someone/hw9/raw/main/img1.jpg",
        "%tensorflow_version 2.x\n%matplotlib inline\nimport matplotlib.pyplot as plt\nimport numpy as np\nimport cv2\n"
        "from google.colab.patches import cv2_imshow\nfrom google.colab import files",
        "uploaded = files.upload()",
        "%%bash\nls -la /content",
        "card = np.zeros((32, 48, 3), np.uint8)\ncard[..., 0] = 255  # blue, in OpenCV's order\ncv2_imshow(card)\n"
        "plt.imshow(card[..., ::-1])\nplt.show()\ndone = True",
    ),
    "weights": (
        "import torch, torchvision\nfrom torchvision import models\n"
        "net = models.squeezenet1_1(weights=models.SqueezeNet1_1_Weights.IMAGENET1K_V1)\n"
        "torch_checksum = float(net.features[0].weight.double().sum())",
        "import tensorflow as tf\n"
        "base = tf.keras.applications.MobileNet(alpha=0.25, input_shape=(128, 128, 3), weights='imagenet')\n"
        "keras_checksum = float(base.get_layer('conv1').get_weights()[0].astype('float64').sum())",
        "other = models.squeezenet1_0(weights='IMAGENET1K_V1')",
        "wider = tf.keras.applications.MobileNet(alpha=0.5, input_shape=(128, 128, 3), weights='imagenet')",
    ),
    "blocked": (
        "import urllib.request\nurllib.request.urlretrieve('https://example.com/hw9/cifar-10-extra.tar.gz', 'extra.tar.gz')",
        "answer = 42",
    ),
}


def write_weights(folder: Path) -> dict[str, float]:
    """The instructor's weights folder, with small generated stand-ins for two real files: the
    file names and formats the libraries load (a torch state dict, a Keras 2 HDF5 file)."""
    import torch
    import torchvision

    folder.mkdir()
    url = torchvision.models.SqueezeNet1_1_Weights.IMAGENET1K_V1.url
    state = torchvision.models.squeezenet1_1(weights=None).state_dict()
    torch.save(state, folder / url.rsplit("/", 1)[1])
    import tf_keras

    mobilenet = tf_keras.applications.MobileNet(alpha=0.25, input_shape=(128, 128, 3), weights=None)
    mobilenet.save_weights(str(folder / "mobilenet_2_5_128_tf.h5"))
    expected = {
        "torch": float(state["features.0.weight"].double().sum()),
        "keras": float(mobilenet.get_layer("conv1").get_weights()[0].astype("float64").sum()),
    }
    (folder / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    return expected


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("colab")


@pytest.fixture(scope="module")
def graded(root: Path) -> dict[str, ResultRecord]:
    """Every notebook above graded once, two at a time, with a generated weights folder."""
    submissions = root / "submissions"
    submissions.mkdir()
    paths = [write_notebook(submissions, f"{name}.ipynb", *cells) for name, cells in NOTEBOOKS.items()]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GRADER_WEIGHTS", str(root / "weights"))
        write_weights(root / "weights")
        records = grade_batch(load_assignment(COLAB), paths, root / "out", BatchOptions(workers=2))
    return {record.student: record for record in records}


def scores(record: ResultRecord) -> dict[str, float]:
    return {q.id: q.auto_earned for q in record.questions if q.auto_earned}


def errors(record: ResultRecord) -> list[str]:
    return [f"{cell.index}: {cell.error}" for cell in record.cells if cell.status != "ok"]


def notes(record: ResultRecord) -> list[tuple[int, str]]:
    return [(note.cell, note.text) for note in record.notes]


@pytest.mark.parametrize("question", ["drive", "keras_cifar10", "torch_cifar10", "locally_connected", "opencv",
                                      "colab_helpers", "weights"])
def test_each_notebook_earns_its_question(graded, question):
    record = graded[question]
    assert record.status == "graded", record.reason
    assert scores(record) == {question: 1.0}, [t.message for t in record.tests if t.question == question]


def test_drive_mount_is_reported(graded):
    record = graded["drive"]
    assert errors(record) == []
    assert notes(record) == [
        (0, "drive.mount: there is no Google Drive while grading; MyDrive holds the course's files (HW9, cifar10)"),
    ]


def test_keras_download_of_cifar10_is_served_and_an_unknown_url_says_where_the_data_is(graded):
    record = graded["keras_cifar10"]
    (blocked,) = errors(record)
    assert blocked.startswith("1: OfflineError: grading runs offline, so https://example.com/hw9/cifar10_extra.zip "
                              "cannot be downloaded.")
    assert "CIFAR10_DIR" in blocked
    assert notes(record) == [
        (0, "not needed (the grader runs TensorFlow 2): %tensorflow_version 2.x"),
        (2, "CIFAR-10 read from the grader's copy in CIFAR10_DIR, not downloaded"),
    ]


def test_torchvision_download_of_cifar10_is_served(graded):
    record = graded["torch_cifar10"]
    assert errors(record) == []
    assert notes(record) == [(1, "CIFAR-10 read from the grader's copy in CIFAR10_DIR, not downloaded")]


def test_shell_lines_and_colab_magics_are_each_reported_once(graded):
    record = graded["colab_helpers"]
    assert errors(record) == []
    assert notes(record) == [
        (0, "not run (grading is offline, without a shell): !pip install -q keras-tuner"),
        (0, "not run (grading is offline, without a shell): !wget -q https://github.com/someone/hw9/raw/main/img1.jpg"),
        (1, "not needed (the grader runs TensorFlow 2): %tensorflow_version 2.x"),
        (2, "files.upload(): nothing can be uploaded while grading, so the notebook got no files"),
        (3, "not run (grading is offline, without a shell): the %%bash cell"),
    ]


def test_missing_weights_name_the_file_and_the_folder(graded, root):
    import torchvision

    record = graded["weights"]
    folder = root / "weights"
    torch_file = torchvision.models.SqueezeNet1_0_Weights.IMAGENET1K_V1.url.rsplit("/", 1)[1]
    torch_error, keras_error = errors(record)
    for error, cell, name in ((torch_error, 2, torch_file), (keras_error, 3, "mobilenet_5_0_128_tf.h5")):
        assert error.startswith(f"{cell}: OfflineError: grading runs offline, and the pretrained weights file {name} "
                                f"is not in the grader's weights folder ({folder})"), error
        assert f"puts it there, under the name {name}" in error
    assert [text for _, text in notes(record)] == [
        f"pretrained weights {torchvision.models.SqueezeNet1_1_Weights.IMAGENET1K_V1.url.rsplit('/', 1)[1]} "
        "read from the grader's weights folder, not downloaded",
        "pretrained weights mobilenet_2_5_128_tf.h5 read from the grader's weights folder, not downloaded",
    ]


def test_blocked_download_names_the_data_variable(graded):
    record = graded["blocked"]
    (error,) = errors(record)
    assert error.startswith("0: URLError: <urlopen error grading runs offline: there is no network, so example.com "
                            "cannot be reached. The data of this assignment is in the folder that CIFAR10_DIR names")
    assert scores(record) == {}


def test_report_lists_what_ran_differently(graded):
    record = graded["colab_helpers"]
    assignment = load_assignment(COLAB)
    hostile = dataclasses.replace(record, notes=record.notes + (GradingNote(4, "<script>alert(1)</script> `x`"),))
    for lang in ("en", "fa"):
        markdown = render_student(hostile, assignment, lang, "md", grade(hostile, assignment, {}))
        html = render_student(hostile, assignment, lang, "html", grade(hostile, assignment, {}))
        assert WORDS[lang]["offline_notes"] in markdown and WORDS[lang]["offline_notes"] in html
        assert "- cell 1: `not run (grading is offline, without a shell): !pip install -q keras-tuner`" in markdown.replace(
            WORDS["fa"]["cell"], "cell")
        assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_cv2_imshow_shows_the_image_in_rgb(tmp_path):
    """Straight on a kernel with the worker's environment: the displayed PNG is the image, blue
    (OpenCV's first channel) shown as blue."""
    assignment = load_assignment(COLAB)
    dirs = kernel_dataset_dirs(assignment, "tiny")
    nb = notebook("import numpy as np\nfrom google.colab.patches import cv2_imshow\n"
                  "card = np.zeros((2, 3, 3)); card[..., 0] = 300.0; card[0, 0] = (0, 0, 255)\ncv2_imshow(card)")
    with kernel_scratch(assignment.limits, cpus=1) as (scratch, group):
        policy = SandboxPolicy(scratch, assignment.limits, data=tuple(kernel_mounts(assignment, dirs)), cgroup=group)
        with StudentKernel(policy, kernel_env(assignment, policy, dirs, 1, "")) as kernel:
            (run,) = kernel.run_notebook(nb, 60, 60, output_limit_bytes=100_000).cells
    assert run.status == "ok", run.error
    (shown,) = [output for output in nb.cells[0].outputs if "image/png" in output.get("data", {})]
    pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(shown["data"]["image/png"]))))
    assert pixels.shape == (2, 3, 3)
    assert pixels[0, 0].tolist() == [255, 0, 0] and pixels[1, 2].tolist() == [0, 0, 255]
