"""hw3.q2's ResNeXt checks accept any module layout of the three forms and reject blocks that do
not compute one: the grader's own test functions judge the solution's block, a block laid out by
role instead of by path, and wrong blocks, in an in-process kernel."""

from functools import partial

import pytest

from graders import expected as frozen
from tests.assignments.in_process import ASSIGNMENTS, InProcessKernel, grader_module, grader_tests, solution_code

PUBLIC, HIDDEN = grader_tests("hw3", "public", "q2"), grader_tests("hw3", "hidden", "q2")
SHARED = grader_module("hw3", "conftest.py")
EXPECTED = frozen.load(ASSIGNMENTS / "hw3" / "tests" / "public" / frozen.EXPECTED_FILE).__getitem__
FAILED = (AssertionError, pytest.fail.Exception)
SOLUTION = solution_code("hw3", "q2-2")  # the ResNeXt cell

# the same block with its convolutions kept in three lists by role (every reduce, every 3x3, every expand)
BY_ROLE = SOLUTION + '''
class ByRole(nn.Module):
    def __init__(self, channels, cardinality, width, form):
        super().__init__()
        self.form, inner = form, cardinality * width
        if form == "grouped":
            self.reduce = nn.ModuleList([conv(channels, inner, 1)])
            self.transform = nn.ModuleList([conv(inner, inner, 3, groups=cardinality)])
            self.expand = nn.ModuleList([conv(inner, channels, 1)])
        else:
            self.reduce = nn.ModuleList(conv(channels, width, 1) for _ in range(cardinality))
            self.transform = nn.ModuleList(conv(width, width, 3) for _ in range(cardinality))
            last = [conv(width, channels, 1) for _ in range(cardinality)] if form == "branches" else [conv(inner, channels, 1)]
            self.expand = nn.ModuleList(last)

    def forward(self, x):
        paths = [t(torch.relu(r(x))).relu() for r, t in zip(self.reduce, self.transform)]
        if self.form == "branches":
            return torch.relu(x + sum(e(h) for e, h in zip(self.expand, paths)))
        return torch.relu(x + self.expand[0](torch.cat(paths, dim=1)))

def build_resnext_block(channels, cardinality, width, form="grouped"):
    return ByRole(channels, cardinality, width, form)
'''


@pytest.mark.parametrize("code", [SOLUTION, BY_ROLE], ids=["by-path", "by-role"])
def test_valid_layouts_pass(code):
    kernel = InProcessKernel(code)
    PUBLIC.test_resnext_block_forms(partial(SHARED.check_resnext_forms, kernel), EXPECTED)
    HIDDEN.test_each_form_computes_a_resnext_block(kernel)


@pytest.mark.parametrize(("change", "message"), [
    (("residual = sum(path(x) for path in self.paths)", "residual = self.paths[0](x)"), "does not compute"),
    (("conv(inner, inner, 3, groups=cardinality)", "conv(inner, inner, 3)"), "parameters"),
    (("return torch.relu(x + residual)", "return x + residual"), "does not compute"),
], ids=["one-path-only", "dense-3x3", "no-final-relu"])
def test_wrong_blocks_fail(change, message):
    kernel = InProcessKernel(SOLUTION.replace(*change))
    with pytest.raises(FAILED, match=message):
        PUBLIC.test_resnext_block_forms(partial(SHARED.check_resnext_forms, kernel), EXPECTED)
        HIDDEN.test_each_form_computes_a_resnext_block(kernel)

