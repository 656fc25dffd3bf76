"""Run by every Python that starts in a student kernel (this folder is on its PYTHONPATH).

It installs the offline environment of `grader_offline` before the first notebook cell.
"""

import grader_offline

grader_offline.install()
