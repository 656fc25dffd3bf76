"""Print nbgrader's scores of one assignment as JSON: {student: {grade cell id: points}}.

    python nbgrader_scores.py GRADEBOOK_DB ASSIGNMENT

Runs inside nbgrader's own virtual environment (the standard library and nbgrader only), so it
reads the gradebook through nbgrader's documented API rather than its tables.
"""

import json
import sys

from nbgrader.api import Gradebook


def main() -> None:
    database, assignment = sys.argv[1], sys.argv[2]
    scores = {}
    with Gradebook(f"sqlite:///{database}") as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            scores[submission.student_id] = {
                grade.name: grade.score for notebook in submission.notebooks for grade in notebook.grades
            }
    json.dump(scores, sys.stdout)


if __name__ == "__main__":
    main()
