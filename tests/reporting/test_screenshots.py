"""Reports as a browser shows them: headless Chromium screenshots of a student report, the class
summary and a TA review page, in English and Persian. Marked slow (`pytest -m slow`) and skipped
where Chromium is not installed (`apt-get install chromium`; CI does not install it); set
GRADER_SCREENSHOTS=DIR to keep the PNGs and look at them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from graders.gradebook import Gradebook, ManualScore
from reports.publish import publish
from tests.reporting.records import executed_notebook, record

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
WIDTH, HEIGHT = 1000, 1400
# about 30 s on two busy cores (six browsers), so `pytest -m slow` runs it
pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")]
PAGES = [f"{page}.{lang}.html" for page in ("ann", "summary", "review/ann") for lang in ("en", "fa")]


@pytest.fixture(scope="module")
def screenshots(demo, tmp_path_factory) -> dict[str, Image.Image]:
    out = tmp_path_factory.mktemp("reports")
    ann = record(demo, "ann", passed={"test_q1_hidden": False}, message="add(7, 8) returned 0",
                 metrics={"test_q2_hidden": {"accuracy": 0.93}}, executed="executed/ann.ipynb")
    bob = record(demo, "bob", passed={"test_q2_public": False}, metrics={"test_q2_hidden": {"accuracy": 0.81}})
    executed_notebook(out / ann.executed)
    with Gradebook(out / "gradebook.sqlite") as book:
        book.set_manual_scores(demo.id, [ManualScore("ann", "q1", "explain", 2 / 3, "clear", "ta1")])
        publish([ann, bob], demo, out, ("en", "fa"), book)
    shots = Path(os.environ.get("GRADER_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    shots.mkdir(parents=True, exist_ok=True)
    browsers = []
    for page in PAGES:
        png = shots / page.replace("/", "-").replace(".html", ".png")
        browsers.append((page, png, subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--screenshot={png}",
             f"--window-size={WIDTH},{HEIGHT}", "--disable-background-networking", "--disable-component-update",
             "--no-first-run", f"--user-data-dir={tmp_path_factory.mktemp('profile')}", (out / page).as_uri()],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
    for _, _, browser in browsers:
        browser.wait(timeout=120)
    return {page: Image.open(png).convert("L") for page, png, _ in browsers}


def dark_columns(image: Image.Image, top: int, bottom: int) -> list[int]:
    """The x of every dark pixel between two rows (text, lines, bars)."""
    pixels = image.load()
    return [x for y in range(top, bottom) for x in range(image.width) if pixels[x, y] < 110]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_content(screenshots, page):
    image = screenshots[page]
    assert image.size == (WIDTH, HEIGHT)
    histogram = image.histogram()
    assert histogram[255] < 0.97 * WIDTH * HEIGHT, "the page is blank"
    assert sum(histogram[:110]) > 2000, "no text on the page"


@pytest.mark.parametrize("page", ["ann", "summary", "review/ann"])
def test_persian_pages_run_right_to_left(screenshots, page):
    """The first heading starts at the left edge in English and ends at the right edge in Persian."""
    en, fa = (dark_columns(screenshots[f"{page}.{lang}.html"], 20, 90) for lang in ("en", "fa"))
    assert en and fa
    assert min(en) < 60 and max(en) < WIDTH - 200
    assert max(fa) > WIDTH - 60 and min(fa) > 200
