"""What hw3's public and hidden checks share. It ships with the student kit, beside the public
checks: it holds no expected value (those come in as arguments) and never imports the reference."""

from collections import Counter
from functools import partial

import pytest


@pytest.fixture
def image_size(kernel) -> int:
    """IMAGE_SIZE, the side of the images q3's network takes, checked."""
    size = kernel.value("IMAGE_SIZE")
    if not isinstance(size, int) or isinstance(size, bool) or not 8 <= size <= 512:
        pytest.fail(f"IMAGE_SIZE is {size!r}; expected the input side in pixels (an int)", pytrace=False)
    return size


def check_resnext_forms(kernel, channels: int, cardinality: int, width: int, parameters: int,
                        convs: dict[str, list[list[int]]]) -> None:
    """Each form of build_resnext_block: its parameter count (`parameters`), its convolutions
    (`convs[form]`: [in, out, kernel, groups, how many] each, all without bias), and the input's
    shape kept."""
    for form, form_convs in convs.items():
        call = f"build_resnext_block({channels}, {cardinality}, {width}, {form!r})"
        count = kernel.value(f"sum(p.numel() for p in {call}.parameters())")
        assert count == parameters, (
            f"{call} has {count:,} parameters, expected C·d·(2·channels + 9·d) = {parameters:,} (convolutions without bias)"
        )
        got = Counter(tuple(c) for c in kernel.value(
            f"[(m.in_channels, m.out_channels, *m.kernel_size, m.groups, m.bias is not None) "
            f"for m in {call}.modules() if isinstance(m, torch.nn.Conv2d)]"))
        want = Counter({(a, b, k, k, g, False): n for a, b, k, g, n in form_convs})
        assert got == want, (
            f"the convolutions of {call}, as (in, out, kernel height, kernel width, groups, bias), are "
            f"{sorted(got.elements())}, expected {sorted(want.elements())}"
        )
        shape = kernel.value(f"tuple({call}(torch.zeros(1, {channels}, 4, 5)).shape)")
        assert list(shape) == [1, channels, 4, 5], f"{call} maps a [1, {channels}, 4, 5] input to {shape}; a residual block keeps the shape"


@pytest.fixture
def resnext_forms(kernel):
    """`resnext_forms(channels, cardinality, width, parameters, convs)`: check_resnext_forms on the student's kernel."""
    return partial(check_resnext_forms, kernel)
