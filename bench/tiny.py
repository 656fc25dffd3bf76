"""The tiny assignment both graders grade, and the 20 submissions to it.

A setup cell and five one-point NumPy questions. Each question is written once here: the
function a student writes, a right and a plausible wrong answer, and one check (its inputs and
the value it expects). `bench.ours` and `bench.nbgrader_course` render the same questions and
the same student code in each grader's format, so both graders see identical notebooks' code.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

ASSIGNMENT_ID = "tiny"
CELL_TIMEOUT_S = 30
SETUP_CODE = "import numpy as np"
# What `nbgrader generate_assignment` leaves in an answer cell: a student who never answered
# submits this, in either format.
UNANSWERED = "# YOUR CODE HERE\nraise NotImplementedError()"
# A student left a loop that never ends in front of the answer: the cell runs into the timeout.
ENDLESS_LOOP = "while True:  # wait until it converges\n    pass"


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    function: str  # the function the student writes
    signature: str  # its parameters, e.g. "(x, k)"
    right: str  # body of a right answer
    wrong: str  # body of a plausible wrong answer
    cases: str  # a Python list of argument tuples (NumPy as np)
    expected: str  # body of `expected<signature>`: the value the check compares with
    hidden: bool  # checked by a hidden test only

    def answer(self, variant: str) -> str:
        """The answer cell a student submits: "right", "wrong", "blank" (left as handed out) or
        "loop" (a right answer behind an endless loop)."""
        if variant == "blank":
            return UNANSWERED
        body = self.wrong if variant == "wrong" else self.right
        code = f"def {self.function}{self.signature}:\n{textwrap.indent(body, '    ')}"
        return f"{ENDLESS_LOOP}\n\n{code}" if variant == "loop" else code

    def solution(self) -> str:
        """The right answer between nbgrader's solution markers (the instructor's source)."""
        marked = f"### BEGIN SOLUTION\n{self.right}\n### END SOLUTION"
        return f"def {self.function}{self.signature}:\n{textwrap.indent(marked, '    ')}"

    def check(self, call: str, expected: str) -> str:
        """The check's statements: every case's result equals `expected`'s. `call` calls the
        student's function on `args`; `expected` names a function defined by `expected_function`."""
        message = f'f"{self.function}{{args!r}} returned {{got!r}}, expected {{want!r}}"'
        return (f"for args in {self.cases}:\n"
                f"    got = {call}\n"
                f"    want = {expected}(*args)\n"
                f"    assert np.shape(got) == np.shape(want) and np.allclose(got, want), {message}\n")

    def expected_function(self, name: str) -> str:
        return f"def {name}{self.signature}:\n{textwrap.indent(self.expected, '    ')}\n"


QUESTIONS = (
    Question(
        id="q1", title="Scale a vector to unit length", function="normalize", signature="(v)",
        right="return v / np.sqrt(np.sum(v ** 2))",
        wrong="return v / np.sum(np.abs(v))",
        cases="[(np.array([3.0, 4.0]),), (np.arange(1.0, 6.0),), (np.array([-2.0, 0.5, 1.0, 7.0]),)]",
        expected="return v / np.linalg.norm(v)",
        hidden=False,
    ),
    Question(
        id="q2", title="Softmax over the last axis", function="softmax", signature="(z)",
        right="e = np.exp(z - np.max(z, axis=-1, keepdims=True))\nreturn e / np.sum(e, axis=-1, keepdims=True)",
        wrong="e = np.exp(z)\nreturn e / np.sum(e)",
        cases="[(np.array([1.0, 2.0, 3.0]),), (np.array([[0.0, 1.0], [2.0, -1.0], [5.0, 5.0]]),)]",
        expected="e = np.exp(z)\nreturn e / e.sum(axis=-1, keepdims=True)",
        hidden=False,
    ),
    Question(
        id="q3", title="Moving average over full windows", function="moving_average", signature="(x, k)",
        right='return np.convolve(x, np.ones(k) / k, mode="valid")',
        wrong='return np.convolve(x, np.ones(k) / k, mode="same")',
        cases="[(np.arange(10.0), 3), (np.array([4.0, 8.0, 6.0, -1.0, 2.0]), 2), (np.array([1.0, 2.0, 3.0]), 3)]",
        expected="return np.array([np.mean(x[i:i + k]) for i in range(len(x) - k + 1)])",
        hidden=False,
    ),
    Question(
        id="q4", title="Euclidean distances between two sets of points", function="pairwise_distances",
        signature="(a, b)",
        right="return np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=-1))",
        wrong="return ((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=-1)",
        cases="[(np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[0.0, 0.0], [1.0, 1.0], [6.0, 8.0]])), "
              "(np.eye(3), np.ones((2, 3)))]",
        expected="return np.array([[np.linalg.norm(p - q) for q in b] for p in a])",
        hidden=True,
    ),
    Question(
        id="q5", title="One-hot encoding", function="one_hot", signature="(labels, n)",
        right="return np.eye(n)[labels]",
        wrong="out = np.zeros((len(labels), n))\nout[np.arange(len(labels)), labels - 1] = 1.0\nreturn out",
        cases="[(np.array([0, 2, 1]), 3), (np.array([4, 4, 0, 1]), 5)]",
        expected="out = np.zeros((len(labels), n))\nfor row, label in enumerate(labels):\n    out[row, label] = 1.0\nreturn out",
        hidden=True,
    ),
)

# One line per student, one letter per question: Right, Wrong, Blank (left as handed out), or
# Loop (an endless loop in the answer cell). The student with the loop comes last, so that the
# first 19 are the loop-free set.
_VARIANTS = {"R": "right", "W": "wrong", "B": "blank", "L": "loop"}
ROSTER = (
    "RRRRR", "RWBRW", "WRRRB", "RRRRW", "RRRWR", "RRWRR", "RWRRR", "WRRRR", "RRRBB", "BRRRR",
    "RWRWR", "WRWRW", "RRWWR", "BBBBB", "RRRRR", "WWWWW", "RBRBR", "RRBRR", "RRRRR", "RRLRR",
)
LOOP_FREE = 19


@dataclass(frozen=True)
class Student:
    id: str
    variants: tuple[str, ...]  # one per question, in QUESTIONS' order

    def answers(self) -> dict[str, str]:
        """Question id -> the code of this student's answer cell."""
        return {q.id: q.answer(v) for q, v in zip(QUESTIONS, self.variants)}

    def expected_scores(self) -> dict[str, float]:
        """What a correct grader gives: a question's point for a right answer, else nothing."""
        return {q.id: 1.0 if v == "right" else 0.0 for q, v in zip(QUESTIONS, self.variants)}


def students(count: int = len(ROSTER)) -> tuple[Student, ...]:
    """The first `count` students of the roster (19: the loop-free set; 20: all)."""
    if not 1 <= count <= len(ROSTER):
        raise ValueError(f"the roster has 1 to {len(ROSTER)} students, not {count}")
    return tuple(Student(f"student{i + 1:02d}", tuple(_VARIANTS[c] for c in line))
                 for i, line in enumerate(ROSTER[:count]))
