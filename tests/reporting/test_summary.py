"""The class summary: pass rates, most failed checks, leaderboard, plots; points with two decimals."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from xml.etree import ElementTree as ET

import pytest

from graders.gradebook import ManualScore
from graders.paths import REPO_ROOT
from graders.scoring import batch_grades
from reports.class_summary import summarise
from reports.plots import pass_rates_svg, score_distributions_svg
from reports.points import format_points
from reports.publish import publish
from tests.reporting.records import record


@pytest.mark.parametrize("value, text", [(0.666667, "0.67"), (16.0833, "16.08"), (5.0, "5"), (2.5, "2.5"),
                                         (1234567.0, "1234567"), (-0.001, "0"), (None, "–")])
def test_points_have_at_most_two_decimals(value, text):
    assert format_points(value) == text


@pytest.fixture
def batch(demo):
    """Four submissions: q1's hidden check fails for three, its public one for two; one is not a notebook."""
    records = [
        record(demo, "ann", metrics={"test_q2_hidden": {"accuracy": 0.75}}),
        record(demo, "bob", passed={"test_q1_hidden": False, "test_q1_public": False}, message="add(2, 2) gave 5",
               metrics={"test_q2_hidden": {"accuracy": 0.9}}),
        record(demo, "cat", passed={"test_q1_hidden": False, "test_q1_public": False}, message="add(2, 2) gave 5"),
        record(demo, "dan", passed={"test_q1_hidden": False}, message="other"),
        record(demo, "eve", status="failed", reason="not a notebook"),
    ]
    return records, batch_grades(records, demo, [ManualScore("ann", "q1", "explain", 2 / 3)])


def test_summary_counts_pass_rates_most_failed_checks_and_the_leaderboard(demo, batch):
    records, grades = batch
    summary = summarise(records, demo, grades)
    rates = {(c.question, c.name): (c.ran, c.failed) for c in summary.checks}
    assert rates[("q1", "test_q1_hidden")] == (4, 3)  # eve's checks never ran
    assert rates[("q1", "test_q1_public")] == (4, 2)
    assert rates[("q2", "test_q2_public")] == (4, 0)
    most = summary.most_failed
    assert [(c.name, c.failed, c.common_message) for c in most] == [
        ("test_q1_hidden", 3, "add(2, 2) gave 5"), ("test_q1_public", 2, "add(2, 2) gave 5")]
    (board,) = summary.leaderboards
    assert [(a.student, a.rank, a.points) for a in board.rows] == [("bob", 1, 20), ("ann", 2, 10)]
    # public checks run before hidden ones; the summary groups them by question
    public_first = dataclasses.replace(records[0], tests=tuple(sorted(records[0].tests, key=lambda t: t.hidden)))
    grouped = summarise([public_first], demo, {public_first.submission: grades["ann.ipynb"]}).checks
    assert [c.name for c in grouped] == ["test_q1_public", "test_q1_hidden", "test_q2_public", "test_q2_hidden",
                                         "test_q3_public", "test_q3_hidden"]
    q1 = summary.questions[0]
    assert q1.scores == (2, 0, 0, 1, 0) and q1.mean == pytest.approx(0.6)
    assert summary.mean == pytest.approx(sum(g.total for g in grades.values()) / 5)


SVG = "{http://www.w3.org/2000/svg}"


def test_plots_are_deterministic_svg_with_a_panel_per_question_and_a_bar_per_check(demo, batch):
    records, grades = batch
    summary = summarise(records, demo, grades)
    distributions = score_distributions_svg(summary.questions)
    assert distributions == score_distributions_svg(summary.questions)  # byte-identical
    assert pass_rates_svg(summary.checks) == pass_rates_svg(summary.checks)
    svg = ET.fromstring(distributions)
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert [t for t in texts if ": mean " in t] == ["q1: mean 0.6 / 2", "q2: mean 2.4 / 3", "q3 (bonus): mean 0.8 / 1"]
    # q1's scores (2, 0, 0, 1, 0): a bar at 0, 1 and 2 points, as tall as 3, 1 and 1 submissions
    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") == "#54aeff"]
    q1 = sorted(bars, key=lambda r: (float(r.get("y")) // 240, float(r.get("x"))))[:3]
    heights = [float(r.get("height")) for r in q1]
    assert heights[0] == pytest.approx(3 * heights[1], abs=0.2) and heights[1] == pytest.approx(heights[2], abs=0.1)

    rates = ET.fromstring(pass_rates_svg(summary.checks))
    labels = [t.text for t in rates.iter(f"{SVG}text") if " · " in (t.text or "")]
    assert labels == ["q1 · q1 public", "q1 · q1 hidden (hidden)", "q2 · q2 public", "q2 · q2 hidden (hidden)",
                      "q3 · q3 public", "q3 · q3 hidden (hidden)"]
    widths = [float(r.get("width")) for r in rates.iter(f"{SVG}rect") if r.get("fill") != "white"]
    full = max(float(line.get("x2")) for line in rates.iter(f"{SVG}line")) - min(
        float(line.get("x1")) for line in rates.iter(f"{SVG}line"))
    assert [round(100 * w / full) for w in widths] == [round(100 * c.pass_rate) for c in summary.checks]
    assert "25% (1/4)" in [t.text for t in rates.iter(f"{SVG}text")]


def test_many_different_scores_are_binned_and_plot_text_is_escaped(demo):
    from reports.class_summary import CheckStats, QuestionStats

    question = dataclasses.replace(demo.questions[0], auto_points=10)
    svg = ET.fromstring(score_distributions_svg([QuestionStats(question, tuple(i / 4 for i in range(41)))]))
    assert len([r for r in svg.iter(f"{SVG}rect") if r.get("fill") == "#54aeff"]) == 10  # 41 scores, 10 bins
    check = CheckStats("q1", "test_<script>&--", hidden=False, ran=3, failed=1, common_message="")
    text = pass_rates_svg([check])
    assert "<script>" not in text and [t.text for t in ET.fromstring(text).iter(f"{SVG}text")][-3] == \
        f"q1 · {check.label}"


def test_published_summary_shows_plots_failed_checks_leaderboard_and_two_decimals(demo, batch, tmp_path):
    records, _ = batch
    publish(records, demo, tmp_path, ("en",))
    html = (tmp_path / "summary.en.html").read_text(encoding="utf-8")
    assert '<img src="summary-distributions.svg"' in html and '<img src="summary-pass-rates.svg"' in html
    assert (tmp_path / "summary-distributions.svg").is_file() and (tmp_path / "summary-pass-rates.svg").is_file()
    assert "Checks most students failed" in html and "add(2, 2) gave 5" in html
    assert "Leaderboard: q2" in html
    md = (tmp_path / "summary.en.md").read_text(encoding="utf-8")
    assert "![Score distribution per question](summary-distributions.svg)" in md
    for text in (html, md, (tmp_path / "grades.csv").read_text(encoding="utf-8"),
                 (tmp_path / "ann.en.html").read_text(encoding="utf-8")):
        assert not re.search(r"(?<![\d.])\d+\.\d{3,}(?![\d.])", text.split("</style>")[-1])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file() and p.suffix in (".svg", ".html")}
    stamps = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    assert publish(records, demo, tmp_path, ("en",)) == [], "an unchanged re-run rewrites nothing"
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name in before} == before
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()} == stamps


def test_publishing_imports_no_plotting_library(demo, batch, tmp_path):
    """The figures are written directly: importing matplotlib would cost a batch most of a second."""
    records, _ = batch
    folder = tmp_path / "records"
    folder.mkdir()
    for i, one in enumerate(records):
        (folder / f"{i}.json").write_text(one.to_json(), encoding="utf-8")
    script = (
        "import sys; from pathlib import Path\n"
        "from graders.record import ResultRecord\nfrom graders.spec import load_assignment\n"
        "from reports.publish import publish\n"
        f"records = [ResultRecord.from_json(p.read_text()) for p in sorted(Path({str(folder)!r}).glob('*.json'))]\n"
        f"publish(records, load_assignment({str(demo.root)!r}), Path({str(tmp_path / 'out')!r}), ('en', 'fa'))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'PIL', 'numpy')))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT, check=True)
    assert run.stdout.strip() == "[]"
    assert (tmp_path / "out" / "summary-distributions.svg").is_file()


def test_prepared_publishing_compiles_no_template(demo, batch, tmp_path, monkeypatch):
    """What `prepare` loads while a batch grades is what publishing then uses."""
    import jinja2

    from reports import render

    render.environment.cache_clear()  # as in a fresh process: nothing compiled yet
    render.prepare()
    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda self, *args, **kwargs: compiled.append(args[1:2]) or original(self, *args, **kwargs))
    records, _ = batch
    publish(records, demo, tmp_path, ("en", "fa"))
    assert compiled == []
