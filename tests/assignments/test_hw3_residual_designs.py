"""hw3.q3's residual check accepts any residual network and rejects others: the grader's own test
function (assignments/hw3/tests/public/test_q3.py) judges several student networks, each run in
an in-process kernel."""

import pytest

from tests.assignments.in_process import InProcessKernel, grader_tests

CHECKS = grader_tests("hw3", "public", "q3")
FAILED = (AssertionError, pytest.fail.Exception)

IMPORTS = "import torch\nimport torch.nn as nn\nIMAGE_SIZE = 32\n"

BLOCK = '''
def block(c_in, c_out, pool=False):
    layers = [nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU()]
    return nn.Sequential(*layers, nn.MaxPool2d(2)) if pool else nn.Sequential(*layers)
'''

# the solution's kind of network, smaller: identity shortcuts around pairs of conv blocks
RESNET9_LIKE = IMPORTS + BLOCK + '''
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(block(3, 16), block(16, 32, pool=True))
        self.res1 = nn.Sequential(block(32, 32), block(32, 32))
        self.down = block(32, 64, pool=True)
        self.res2 = nn.Sequential(block(64, 64), block(64, 64))
        self.head = nn.Sequential(nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(64, 6))

    def forward(self, x):
        x = self.stem(x)
        x = x + self.res1(x)
        x = self.down(x)
        x = x + self.res2(x)
        return self.head(x)

model = Net()
'''

# a different design: pre-activation blocks, every shortcut a strided 1x1 projection
PROJECTION_SHORTCUTS = IMPORTS + '''
class PreActBlock(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.bn1, self.conv1 = nn.BatchNorm2d(c_in), nn.Conv2d(c_in, c_out, 3, stride=2, padding=1, bias=False)
        self.bn2, self.conv2 = nn.BatchNorm2d(c_out), nn.Conv2d(c_out, c_out, 3, padding=1, bias=False)
        self.shortcut = nn.Conv2d(c_in, c_out, 1, stride=2, bias=False)

    def forward(self, x):
        h = torch.relu(self.bn1(x))
        return self.shortcut(h) + self.conv2(torch.relu(self.bn2(self.conv1(h))))

model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), PreActBlock(16, 32), PreActBlock(32, 64),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 6))
'''

# transfer learning's usual starting point (its pretrained weights would come from a file; none here)
TORCHVISION_RESNET = IMPORTS + '''
import torchvision
model = torchvision.models.resnet18(num_classes=6)
'''

PLAIN = IMPORTS + BLOCK + '''
model = nn.Sequential(block(3, 16), block(16, 32, pool=True), block(32, 32), block(32, 64, pool=True), block(64, 64),
                      nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(64, 6))
'''

# parallel branches concatenated: several paths, but none goes around a block
INCEPTION_STYLE = IMPORTS + '''
class Branches(nn.Module):
    def __init__(self, c_in):
        super().__init__()
        self.one = nn.Conv2d(c_in, 8, 1)
        self.three = nn.Sequential(nn.Conv2d(c_in, 8, 1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1))
        self.pool = nn.Sequential(nn.MaxPool2d(3, 1, 1), nn.Conv2d(c_in, 8, 1))

    def forward(self, x):
        return torch.relu(torch.cat([self.one(x), self.three(x), self.pool(x)], dim=1))

model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), Branches(16), Branches(24),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(24, 6))
'''


@pytest.mark.parametrize("design", [RESNET9_LIKE, PROJECTION_SHORTCUTS, TORCHVISION_RESNET],
                         ids=["resnet9-like", "projection-shortcuts", "torchvision-resnet18"])
def test_residual_networks_pass(design):
    kernel = InProcessKernel(design)
    CHECKS.test_network_is_residual(kernel, kernel.value("IMAGE_SIZE"))


@pytest.mark.parametrize("design", [PLAIN, INCEPTION_STYLE], ids=["plain-cnn", "inception-style"])
def test_networks_without_skip_connections_fail(design):
    kernel = InProcessKernel(design)
    with pytest.raises(FAILED, match="`model` is not residual"):
        CHECKS.test_network_is_residual(kernel, kernel.value("IMAGE_SIZE"))


def test_a_model_that_is_not_a_network_fails_with_a_reason():
    kernel = InProcessKernel(IMPORTS + "model = lambda x: x\n")
    with pytest.raises(FAILED, match="not a torch.nn.Module"):
        CHECKS.test_network_is_residual(kernel, 32)
