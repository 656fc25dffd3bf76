"""The list of words a student must not read catches what issue 11 saw, and not the questions' own words."""

import pytest

from tests.vocabulary import internal_words


@pytest.mark.parametrize("text", [
    "the search space is the seeds", "the seed's best model", "parameter count of the seed network",
    "\x1b[1mInput 0 of layer 'conv2d'\x1b[0m", "[1mInput 0 of layer 'conv2d'[0m", "the kernel died while answering",
    "the kernel could not answer: no answer within 60 s", "the notebook's kernel is not running",
    "NameError: the notebook does not define 'conv_output_shape'", "the oracle says", "a wire error", "fixture 'x'",
    "differs from the reference solution", "AnswerRefused: too large", "1.333 / 2",
])
def test_internal_words_are_caught(text):
    assert internal_words(text), text


@pytest.mark.parametrize("text", [
    "seed=7 and seed=8 gave the same mask; the seed must choose the mask", "xavier_uniform with seeds 7 and 8",
    "slide the kernel over the image", "kernel_labels()['kernel1'] is 'blur'", "a 2x2 kernel, D=3",
    "your notebook does not define `conv_output_shape`", "your notebook stopped while answering", "1.33 / 2",
])
def test_the_questions_own_words_are_not(text):
    assert internal_words(text) == [], text
