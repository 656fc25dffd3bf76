import shutil
import subprocess
import sys

from graders.cli import main
from graders.record import ResultRecord
from tests.engine.toy import TOY


def test_grade_writes_reports_and_csv(toy_submissions, tmp_path, capsys):
    out = tmp_path / "reports"
    assert main([str(TOY), "--submissions", str(toy_submissions), "--out", str(out), "-j", "2"]) == 0
    for name in ("alice.en.html", "alice.fa.html", "alice.en.md", "dave.fa.md", "summary.en.html", "summary.fa.md"):
        assert (out / name).is_file(), name
    csv_lines = (out / "grades.csv").read_text().splitlines()
    assert csv_lines[0] == "student,submission,status,q1,q2,auto,manual,bonus,total,possible,reason"
    assert "alice,alice.ipynb,graded,2,3,5,0,0,5,6," in csv_lines
    fa = (out / "alice.fa.html").read_text()
    assert 'dir="rtl"' in fa and "نمرهٔ خودکار" in fa
    bob = (out / "bob.en.html").read_text()
    assert "hidden check 1" in bob and "add(2, 3) returned -1, expected 5" in bob
    hidden = next(t for t in ResultRecord.from_json((out / "records" / "bob.json").read_text()).tests if t.hidden)
    assert hidden.outcome == "failed" and hidden.message.startswith("add(")
    assert hidden.message not in bob, "a hidden check's inputs must not reach the student"
    assert "toy: automatic scores" in capsys.readouterr().out


def test_check_runs_public_checks_only(toy_submissions, capsys):
    assert main(["check", str(TOY), str(toy_submissions / "alice.ipynb")]) == 0
    text = capsys.readouterr().out
    assert "3 of 3 public checks pass" in text
    assert main(["check", str(TOY), str(toy_submissions / "carol.ipynb")]) == 1
    text = capsys.readouterr().out
    assert "NameError" in text and "1 of 3 public checks pass" in text


def test_errors_are_one_line_without_traceback(tmp_path, capsys):
    assert main([str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "no assignment.toml" in err and "Traceback" not in err
    assert main(["check", str(TOY), str(tmp_path / "missing.ipynb")]) == 2
    assert "no such notebook" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main([str(TOY), "--submissions", str(empty)]) == 2
    assert "no .ipynb submissions" in capsys.readouterr().err


def test_broken_grader_tests_stop_the_batch_with_a_clear_message(toy_submissions, tmp_path, capsys):
    broken = tmp_path / "toy"
    shutil.copytree(TOY, broken)
    (broken / "tests" / "public" / "test_unmarked.py").write_text("def test_x(kernel):\n    assert True\n")
    assert main([str(broken), "--submissions", str(toy_submissions), "--out", str(tmp_path / "o")]) == 2
    assert "needs @pytest.mark.question" in capsys.readouterr().err


def test_ci_writes_junit_and_summary_and_fails_on_a_failed_check(toy_submissions, tmp_path):
    from xml.etree import ElementTree as ET

    junit, summary = tmp_path / "junit.xml", tmp_path / "summary.md"
    assert main(["ci", str(TOY), str(toy_submissions / "bob.ipynb"), "--junit", str(junit), "--summary", str(summary)]) == 1
    suite = ET.parse(junit).getroot()
    assert (suite.get("tests"), suite.get("failures")) == ("3", "1")
    failed = [case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None]
    assert failed == ["test_add_small"]
    assert "add(2, 3) returned -1, expected 5" in summary.read_text()
    assert main(["ci", str(TOY), str(toy_submissions / "alice.ipynb"), "--junit", str(junit)]) == 0


def test_rubric_scores_reach_the_reports(toy_submissions, tmp_path, capsys):
    out = tmp_path / "reports"
    args = [str(TOY), "--submissions", str(toy_submissions), "--out", str(out), "--lang", "en"]
    assert main(args) == 0
    assert "not scored yet" in (out / "alice.en.md").read_text()
    assert main(["rubric", str(TOY), "alice", "q2", "explain", "0.5", "--comment", "good", "--out", str(out)]) == 0
    assert main(["rubric", str(TOY), "alice", "q2", "explain", "3", "--out", str(out)]) == 2
    assert "worth 0 to 1 points" in capsys.readouterr().err
    assert main(["rubric", str(TOY), "alice", "q2", "nope", "1", "--out", str(out)]) == 2
    assert main(args) == 0
    report = (out / "alice.en.md").read_text()
    assert "Explains broadcasting — 0.5 / 1: `good`" in report
    assert "Manual score: 0.5 / 1" in report and "Total: **5.5 / 6**" in report


def test_the_command_starts_without_the_heavy_libraries():
    """Every `grade` command (a cached re-run, `grade check` on a laptop) pays for what its start
    imports: the frameworks, NumPy, pytest, the kernel client and nbformat (with jsonschema, a
    tenth of a second) are imported only where they are used."""
    heavy = ["torch", "tensorflow", "numpy", "pytest", "jupyter_client", "nbformat", "jsonschema", "matplotlib"]
    probe = f"import sys, graders.cli\nprint(sorted(set({heavy!r}) & set(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
