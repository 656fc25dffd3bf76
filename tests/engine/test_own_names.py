"""Colab notebooks that answer under their own names, graded by the real batch against
tests/fixtures/own_names, whose checks declare `conv_output_shape` and `model`: what the grader
used, and why, is in each check's outcome and in the report; a model is evaluated through the
same protocol as a declared one; what fits nothing is said, with what was looked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.batch import BatchOptions, grade_batch
from graders.record import ResultRecord
from graders.scoring import grade
from graders.spec import load_assignment
from reports.i18n import WORDS
from reports.render import render_student
from tests.engine.toy import write_notebook
from tests.vocabulary import problems

OWN_NAMES = Path(__file__).resolve().parent.parent / "fixtures" / "own_names"

TORCH_SETUP = (
    "!pip install -q torch torchvision\n"
    "import numpy as np\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
    "import torchvision\nimport torchvision.transforms as transforms\n"
    "torch.manual_seed(0)"
)
CIFAR10_LOADER = (
    "trainset = torchvision.datasets.CIFAR10(root='./data', train=True, download=True, transform=transforms.ToTensor())\n"
    "trainloader = torch.utils.data.DataLoader(trainset, batch_size=32, shuffle=True, num_workers=2)"
)
NET = (
    "class Net(nn.Module):\n"
    "    def __init__(self, classes=10):\n"
    "        super().__init__()\n"
    "        self.conv = nn.Conv2d(3, 8, 3, padding=1)\n"
    "        self.fc = nn.Linear(8 * 8 * 8, classes)\n"
    "    def forward(self, x):\n"
    "        return self.fc(torch.flatten(F.max_pool2d(F.relu(self.conv(x)), 4), 1))\n"
    "\n"
    "def train(net, epochs=4):\n"
    "    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)\n"
    "    for epoch in range(epochs):\n"
    "        for images, labels in trainloader:\n"
    "            optimizer.zero_grad()\n"
    "            loss = F.cross_entropy(net(images), labels)\n"
    "            loss.backward()\n"
    "            optimizer.step()\n"
    "    return net"
)
SHAPE_BODY = "    return (out_channels, *[(n + 2 * padding - kernel) // stride + 1 for n in in_shape[1:]])"

NOTEBOOKS = {
    # everything under the student's own names, with its own data loading, and a download the
    # grader cannot serve
    "own_names": (
        TORCH_SETUP,
        "from google.colab import drive\ndrive.mount('/content/drive')",
        "import urllib.request\nurllib.request.urlretrieve('https://example.com/cifar10-extra.zip', 'extra.zip')",
        CIFAR10_LOADER,
        "def out_shape(in_shape, out_channels, kernel, stride=1, padding=0):\n" + SHAPE_BODY + "\n"
        "print(out_shape((3, 32, 32), 16, 3))",
        NET + "\nnet = train(Net())",
    ),
    # an untrained `model`, and later the trained one, only inside a dict
    "two_models": (
        TORCH_SETUP,
        CIFAR10_LOADER,
        "def conv_output_shape(in_shape, out_channels, kernel, stride=1, padding=0):\n" + SHAPE_BODY,
        NET + "\nmodel = Net()\nprint(model)",
        "runs = {'final': train(Net())}",
    ),
    # two functions that both give the right answer, and no model at all
    "two_functions": (
        "def conv_shape(in_shape, out_channels, kernel, stride=1, padding=0):\n" + SHAPE_BODY,
        "def shape_after_conv(in_shape, out_channels, kernel, stride=1, padding=0):\n" + SHAPE_BODY,
        "def helper(a, b, c, d, e):\n    raise ValueError('not a shape function')",
    ),
    # a function and a model that do not answer the question
    "nothing_fits": (
        "import torch\nimport torch.nn as nn",
        "def conv_shape(in_shape, out_channels, kernel, stride=1, padding=0):\n    return (0, 0, 0)",
        "net = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 5))",
    ),
    # hw9 as students wrote it: the trained CIFAR-10 model is `model` until q4 builds another
    # `model`; the trained one is still there, as the History's model; Keras errors are in colour
    "keras_history": (
        "%tensorflow_version 2.x\nimport numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n"
        "from tensorflow.keras import layers\ntf.random.set_seed(0)",
        "(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()\n"
        "x_train, x_test = x_train / 255.0, x_test / 255.0",
        "model = keras.Sequential([\n"
        "    layers.Conv2D(8, 3, padding='same', activation='relu', input_shape=(32, 32, 3)),\n"
        "    layers.MaxPooling2D(4),\n"
        "    layers.Flatten(),\n"
        "    layers.Dense(10, activation='softmax'),\n"
        "])\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"
        "history = model.fit(x_train, y_train, epochs=4, batch_size=32, verbose=0)",
        "model = keras.Sequential([\n"
        "    layers.Conv2D(20, (7, 7), activation='relu', input_shape=(28, 28, 1)),\n"
        "    layers.MaxPooling2D((2, 2), strides=2),\n"
        "    layers.Conv2D(10, (5, 5), activation='relu'),\n"
        "    layers.LocallyConnected2D(2, (3, 3), activation='relu'),\n"
        "    layers.Flatten(),\n"
        "    layers.Dense(10, activation='softmax'),\n"
        "])\n"
        "model.summary()",
        "model.predict(x_test[:4])",
    ),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ResultRecord]:
    root = tmp_path_factory.mktemp("own_names")
    submissions = root / "submissions"
    submissions.mkdir()
    paths = [write_notebook(submissions, f"{name}.ipynb", *cells) for name, cells in NOTEBOOKS.items()]
    records = grade_batch(load_assignment(OWN_NAMES), paths, root / "out", BatchOptions(workers=2))
    return {record.student: record for record in records}


def scores(record: ResultRecord) -> dict[str, float]:
    return {q.id: q.auto_earned for q in record.questions}


def found(record: ResultRecord, question: str) -> set[str]:
    return {note for test in record.tests if test.question == question for note in test.found}


def messages(record: ResultRecord, question: str) -> set[str]:
    return {test.message for test in record.tests if test.question == question}


def test_the_fixture_checks_shapes_as_torch_computes_them():
    import torch

    from tests.fixtures.own_names.tests.conftest import conv_output_shape

    for in_shape, out_channels, kernel, stride, padding in (((3, 32, 32), 8, 5, 2, 1), ((2, 9, 12, 7), 4, 3, 2, 1)):
        conv = (torch.nn.Conv2d if len(in_shape) == 3 else torch.nn.Conv3d)(in_shape[0], out_channels, kernel, stride,
                                                                             padding)
        want = tuple(conv(torch.zeros(1, *in_shape)).shape[1:])
        assert conv_output_shape(in_shape, out_channels, kernel, stride, padding) == want


def test_answers_under_own_names_earn_every_point_and_the_report_says_what_was_used(graded):
    record = graded["own_names"]
    assert record.status == "graded", record.reason
    assert scores(record) == {"shapes": 2, "classifier": 2, "keras_classifier": 0}, {t.name: t.message for t in record.tests}
    assert found(record, "shapes") == {
        "used your function `out_shape` for `conv_output_shape`: your notebook does not define `conv_output_shape`, "
        "and `out_shape` takes 5 arguments and gives the right answer on the question's example"}
    assert found(record, "classifier") == {
        "used your model `net` for `model`: your notebook does not define `model`, and `net` has been trained and "
        "maps inputs of shape (3, 32, 32) to outputs of shape (10,)"}
    assignment = load_assignment(OWN_NAMES)
    for lang in ("en", "fa"):
        markdown, html = (render_student(record, assignment, lang, fmt, grade(record, assignment, {})) for fmt in ("md", "html"))
        assert WORDS[lang]["found_answers"] in markdown and WORDS[lang]["found_answers"] in html
        assert "``used your function `out_shape` for `conv_output_shape`: your notebook does not define" in markdown
        assert "used your model `net` for `model`" in markdown and "used your model `net` for `model`" in html


def test_a_blocked_download_names_the_variable_that_holds_the_data(graded):
    record = graded["own_names"]
    (blocked,) = [cell for cell in record.cells if cell.status != "ok"]
    assert blocked.index == 2 and "grading runs offline" in blocked.error and "CIFAR10_DIR" in blocked.error
    assignment = load_assignment(OWN_NAMES)
    for lang in ("en", "fa"):
        for fmt in ("md", "html"):
            report = render_student(record, assignment, lang, fmt, grade(record, assignment, {}))
            assert "CIFAR10_DIR" in report.replace("\\_", "_")


def test_the_trained_model_is_evaluated_and_the_untrained_one_named(graded):
    record = graded["two_models"]
    assert scores(record) == {"shapes": 2, "classifier": 2, "keras_classifier": 0}, {t.name: t.message for t in record.tests}
    assert found(record, "shapes") == set(), "the declared function is used as it is"
    assert found(record, "classifier") == {
        "used your model `runs['final']` for `model`: `model` has not been trained, and `runs['final']` has been "
        "trained and maps inputs of shape (3, 32, 32) to outputs of shape (10,)"}


def test_two_functions_that_fit_are_both_named(graded):
    record = graded["two_functions"]
    assert scores(record)["shapes"] == 2
    assert found(record, "shapes") == {
        "used your function `conv_shape` for `conv_output_shape`: your notebook does not define `conv_output_shape`, "
        "and `conv_shape` takes 5 arguments and gives the right answer on the question's example; "
        "`shape_after_conv` fits as well, and the name `conv_shape` is the closest to `conv_output_shape`"}
    assert messages(record, "classifier") == {
        "your notebook does not define `model`, and none of its models maps inputs of shape (3, 32, 32) to outputs of "
        "shape (10,)"}


def test_what_fits_nothing_is_said_with_what_was_looked_for(graded):
    record = graded["nothing_fits"]
    assert scores(record) == {"shapes": 0, "classifier": 0, "keras_classifier": 0}
    assert messages(record, "shapes") == {
        "your notebook does not define `conv_output_shape`, and none of its functions takes 5 arguments and gives the "
        "right answer on the question's example; tried: `conv_shape` gives another answer"}
    assert messages(record, "classifier") == {
        "your notebook does not define `model`, and none of its models maps inputs of shape (3, 32, 32) to outputs of "
        "shape (10,) (`net` gives outputs of shape (5,))"}
    assert all(not test.found for test in record.tests)


def test_a_model_rebound_to_another_is_found_through_its_history(graded):
    record = graded["keras_history"]
    assert scores(record) == {"shapes": 0, "classifier": 0, "keras_classifier": 2}, {t.name: t.message for t in record.tests}
    (note,) = found(record, "keras_classifier")
    assert note.startswith("used your model `history.model` for `model`: `model` cannot take inputs of shape "
                           "(32, 32, 3) (ValueError: ")
    assert note.endswith(", and `history.model` has been trained and maps inputs of shape (32, 32, 3) to outputs of "
                         "shape (10,)")
    (error,) = [cell.error for cell in record.cells if cell.status != "ok"]
    assert error.startswith("ValueError: ") and "\x1b" not in error and "[1m" not in error


def test_messages_speak_the_students_language(graded):
    assert problems(list(graded.values()), load_assignment(OWN_NAMES)) == {}
