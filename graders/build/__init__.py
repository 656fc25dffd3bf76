"""`grade build`: one homework source in, the student kit, the autograder and the demo
submissions out (see assignments/AUTHORING.md).

    source.py      the percent-format notebook source, read into typed cells
    markers.py     solution markers: the solution and the student version of a code cell
    inline.py      `from reference.… import name` in the source: the reference's own code
    notebooks.py   the student and solution notebooks (headings from assignment.toml)
    demos.py       demos.toml: demo submissions as edits of the solution
    frozen.py      the public checks' expected values, computed and frozen at build time
    release.py     everything together: the files of a release, and writing them
"""
