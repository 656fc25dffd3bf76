"""Set-up for the assignment tests."""


def pytest_configure(config):
    # some tests here load grader test modules (see in_process.py), whose tests carry the grading
    # plugin's markers; the plugin registers them only when it grades
    config.addinivalue_line("markers", "question(id): the question a grader test belongs to")
    config.addinivalue_line("markers", "points(n): the points a grader test is worth")
