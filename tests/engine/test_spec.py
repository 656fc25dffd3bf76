from pathlib import Path

import pytest

from graders.spec import SpecError, load_assignment


def write_spec(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "assignment.toml").write_text(text, encoding="utf-8")
    return folder


def test_toy_spec_is_typed(toy):
    assert toy.id == "toy"
    assert [q.id for q in toy.questions] == ["q1", "q2"]
    assert toy.auto_points == 5
    assert toy.manual_points == 1
    assert toy.question("q2").rubric[0].text["fa"] == "توضیح پخش"
    assert toy.limits.cell_timeout_s == 10


@pytest.mark.parametrize(
    "text, problem",
    [
        ("id = 'x'\n[[questions]\n", "not valid TOML"),
        ("title = 'T'\nquestions = []\n", "missing required key 'id'"),
        ("id = 'x'\ntitle = 'T'\nframeworks = ['jax']\nquestions = []\n", "unknown frameworks"),
        ("id = 'x'\ntitle = 'T'\n[[questions]]\nid = 'q1'\ntitle = 'a'\n[[questions]]\nid = 'q1'\ntitle = 'b'\n",
         "duplicate question ids"),
        ("id = 'x'\ntitle = 'T'\n[[questions]]\nid = 'q1'\ntitle = 'a'\nauto_points = -1\n", "auto_points must be >= 0"),
        ("id = 'x'\ntitle = 'T'\nquestions = []\n[limits]\nbogus = 1\n", "bogus"),
        ("id = 'x'\ntitle = 'T'\nkeras = 4\nquestions = []\n", "keras must be one of [2, 3], not 4"),
        ("id = 'x'\ntitle = 'T'\nkeras = '2'\nquestions = []\n", "keras must be one of [2, 3], not '2'"),
    ],
)
def test_bad_spec_names_file_and_problem(tmp_path, text, problem):
    folder = write_spec(tmp_path / "hw", text)
    with pytest.raises(SpecError) as err:
        load_assignment(folder)
    assert str(folder / "assignment.toml") in str(err.value)
    assert problem in str(err.value)


def test_keras_version_defaults_to_keras_3(tmp_path, toy):
    assert toy.keras == 3
    assert load_assignment(write_spec(tmp_path / "hw", "id = 'x'\ntitle = 'T'\nkeras = 2\nquestions = []\n")).keras == 2


def test_missing_spec(tmp_path):
    with pytest.raises(SpecError, match="no assignment.toml"):
        load_assignment(tmp_path)


def test_threshold_lookup(tmp_path):
    folder = write_spec(
        tmp_path / "hw",
        "id = 'x'\ntitle = 'T'\n[[questions]]\nid = 'q5'\ntitle = 't'\nthresholds = { tiny = { accuracy = 0.5 } }\n",
    )
    question = load_assignment(folder).question("q5")
    assert question.threshold("tiny", "accuracy") == 0.5
    with pytest.raises(SpecError, match="no threshold 'accuracy' for data profile 'real'"):
        question.threshold("real", "accuracy")


def test_hidden_split_of_the_real_profile_must_exist(tmp_path, monkeypatch):
    from graders.data.profiles import hidden_dataset_dir

    monkeypatch.setenv("GRADER_HIDDEN", str(tmp_path))
    with pytest.raises(SpecError, match="the hidden cifar10 split is not there"):
        hidden_dataset_dir("cifar10", "real")
    (tmp_path / "cifar10").mkdir()
    assert hidden_dataset_dir("cifar10", "real") == tmp_path / "cifar10"


@pytest.mark.parametrize("line", ["deadline = '2024-11-20T23:59:00+03:30'", "deadline = 2024-11-20T23:59:00+03:30"])
def test_deadline_is_zone_aware(tmp_path, line):
    import datetime as dt

    folder = write_spec(tmp_path / "hw", f"id = 'x'\ntitle = 'T'\n{line}\nquestions = []\n")
    deadline = load_assignment(folder).deadline
    assert deadline == dt.datetime(2024, 11, 20, 20, 29, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("line, problem", [
    ("deadline = '2024-11-20T23:59:00'", "needs a zone offset, e.g. 2024-11-20T23:59:00+03:30"),
    ("deadline = 2024-11-20T23:59:00", "needs a zone offset"),
    ("deadline = 'next friday'", "'next friday' is not an ISO 8601 date and time"),
    ("deadline = 2024-11-20", "must be a date and time"),
])
def test_bad_deadline_names_file_and_problem(tmp_path, line, problem):
    folder = write_spec(tmp_path / "hw", f"id = 'x'\ntitle = 'T'\n{line}\nquestions = []\n")
    with pytest.raises(SpecError) as err:
        load_assignment(folder)
    assert str(folder / "assignment.toml") in str(err.value) and problem in str(err.value)
