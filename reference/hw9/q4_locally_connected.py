"""hw9.q4 — a locally connected layer in PyTorch, and the question's net built with it.

PyTorch has no locally connected layer. This one cuts the input into patches with F.unfold,
exactly as a convolution would see them, but multiplies each patch by the filters of its own
output position instead of one shared filter bank.
"""

import torch
import torch.nn.functional as F
from torch import nn

from reference.hw9.q4_param_count import INPUT_SHAPE, valid_size


class LocallyConnected2d(nn.Module):
    """Unshared-weight 2-D "convolution" (no padding) in PyTorch.

    weight [L, C_out, C_in·k·k] holds one filter bank per output position l (L = H_out·W_out);
    bias [C_out, H_out, W_out] one bias per output unit. Forward: F.unfold cuts the input into
    its L patches [N, C_in·k·k, L] (flattened channel-major, then rows, then columns), and each
    patch is multiplied by its own position's filters.
    """

    def __init__(
        self, in_channels: int, out_channels: int, in_hw: tuple[int, int], kernel_size: int, stride: int = 1
    ) -> None:
        super().__init__()
        self.kernel_size, self.stride = kernel_size, stride
        self.out_hw = (valid_size(in_hw[0], kernel_size, stride), valid_size(in_hw[1], kernel_size, stride))
        fan_in = in_channels * kernel_size * kernel_size
        positions = self.out_hw[0] * self.out_hw[1]
        bound = fan_in**-0.5  # nn.Linear's default init, one linear map per position
        self.weight = nn.Parameter(torch.empty(positions, out_channels, fan_in).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(out_channels, *self.out_hw).uniform_(-bound, bound))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        patches = F.unfold(x, self.kernel_size, stride=self.stride)  # [N, C_in·k·k, L]
        out = torch.einsum("ncl,loc->nol", patches, self.weight)  # position l uses weight[l]
        return out.reshape(x.shape[0], -1, *self.out_hw) + self.bias


class TorchParamCountNet(nn.Module):
    """The same net in PyTorch (NCHW); the same per-layer counts as the closed form and tf-keras."""

    def __init__(self, input_shape: tuple[int, int, int] = INPUT_SHAPE) -> None:
        super().__init__()
        h, w, c = input_shape
        h2, w2 = valid_size(h, 7) // 2, valid_size(w, 7) // 2
        h3, w3 = valid_size(h2, 5), valid_size(w2, 5)
        self.layers = nn.Sequential(
            nn.Conv2d(c, 20, 7),
            nn.MaxPool2d(2),
            nn.Conv2d(20, 10, 5),
            LocallyConnected2d(10, 2, (h3, w3), 3),
            nn.Flatten(),
            nn.Linear(2 * valid_size(h3, 3) * valid_size(w3, 3), 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # ReLU between layers as in the Keras model; it has no parameters, so it is not a layer here
        for layer in self.layers[:-1]:
            x = layer(x)
            if isinstance(layer, (nn.Conv2d, LocallyConnected2d)):
                x = F.relu(x)
        return self.layers[-1](x)

    def layer_params(self) -> list[int]:
        return [sum(p.numel() for p in layer.parameters()) for layer in self.layers]
