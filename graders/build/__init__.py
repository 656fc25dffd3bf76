"""`grade build`: one homework source in, the student kit, the autograder and the demo
submissions out (see assignments/AUTHORING.md).

    errors.py      BuildError: one line, starting with the file and line of the problem
    source.py      the percent-format notebook source, read into typed cells
    markers.py     solution markers: the solution and the student version of a code cell
    stubs.py       a definition as students get it; the names code binds and needs
    inline.py      `# SOLUTION FROM reference.…`: a solution body taken from the reference
    notebooks.py   the student and solution notebooks (headings from assignment.toml)
    demos.py       demos.toml: demo submissions as edits of the solution
    frozen.py      the public checks' expected values, computed and frozen at build time
    release.py     everything together: the files of a release, and writing them
"""
