"""The `grade` command: one module per verb.

    grade ASSIGNMENT                  grade every submission, write reports, grades.csv
    grade ASSIGNMENT --submissions DOWNLOAD.zip --roster ROSTER.csv
                                      the same from a Moodle / Canvas download (folder or zip)
    grade check ASSIGNMENT NOTEBOOK   a student's self-check: public checks only
    grade ci ASSIGNMENT NOTEBOOK      CI on a submission: public checks, JUnit XML, Markdown summary
    grade rubric ASSIGNMENT STUDENT QUESTION ITEM POINTS   a TA's score for a manual rubric item
    grade rubric ASSIGNMENT --export FILE | --import FILE   every rubric score as one CSV sheet
    grade export ASSIGNMENT --format canvas|moodle|gradescope|csv --out PATH   grades for another system
    grade similarity ASSIGNMENT       compare the submissions' code: similarity.csv and .html
    grade build ASSIGNMENT            the notebooks, demos, student kit and autograder from the source

Starts fast: nothing here imports torch or TensorFlow (only the kernels and the reference do;
`build` imports the reference modules its homework's source names).
"""

from graders.cli.main import main

__all__ = ["main"]
