"""hw9.q2 answered under the student's own name, graded by the real batch: every check that
filters images finds the student's function, passes, and says in its outcome what it used."""

from graders.batch import BatchOptions, grade_batch
from graders.spec import load_assignment
from tests.assignments.demo import ASSIGNMENTS
from tests.engine.toy import write_notebook

FILTERING_CHECKS = {"test_filtered_images", "test_four_kernels_on_hidden_images", "test_other_kernels_on_hidden_images"}

OWN_NAME = (
    "import cv2\nimport numpy as np",
    "def filter_image(image, kernel):\n"
    "    # OpenCV's default border, reflect-101\n"
    "    return cv2.filter2D(np.asarray(image, dtype=np.float64), -1, np.asarray(kernel, dtype=np.float64))",
)


def test_each_filtering_check_uses_and_names_the_students_own_function(tmp_path):
    submission = write_notebook(tmp_path, "own_name.ipynb", *OWN_NAME)
    assignment = load_assignment(ASSIGNMENTS / "hw9")
    [record] = grade_batch(assignment, [submission], tmp_path / "out", BatchOptions(workers=1))
    assert record.status == "graded", record.reason
    checks = {test.name: test for test in record.tests if test.name in FILTERING_CHECKS}
    assert checks.keys() == FILTERING_CHECKS
    for name, test in checks.items():
        assert test.outcome == "passed", f"{name}: {test.message}"
        assert any("`filter_image`" in note and "`apply_kernel`" in note for note in test.found), (name, test.found)
