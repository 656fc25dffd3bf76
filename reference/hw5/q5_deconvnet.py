"""hw5.q5 — DeconvNet: a VGG16 encoder mirrored by an unpooling + transposed-conv decoder.

The encoder is VGG16's convolutional part (13 conv 3×3 + ReLU, a 2×2 max pool closing each of
the 5 blocks). The decoder undoes it step by step in reverse order (Zeiler & Fergus 2014; Noh
et al. 2015):
  * each max pool is mirrored by a max *unpool* that puts every value back at the position its
    pool took the maximum from (the "switches", recorded in the forward pass) and zeros elsewhere
    — so the decoder knows *where* the strongest activations were, which upsampling alone loses;
  * each conv C_in → C_out is mirrored by a transposed conv C_out → C_in (3×3, stride 1,
    padding 1: the adjoint of the conv, see q5_transposed_conv), which densifies the sparse
    unpooled map.
The output has the input's size: the same channels (C_in of the first conv) and, because each
unpool is told the size of the map its pool received, the same H × W even when pooling floored
an odd size.

Noh et al.'s segmentation DeconvNet also turns fc6/fc7 into 7×7 and 1×1 convolutions and adds
batch norm; the question asks for the mirror of the VGG16 convolutions, which is what this is.

The homework's handout gave a `net.py` with the network to draw; neither it nor the handout is
available, so this specification is the project's own, inferred from the student's report.
"""

from dataclasses import dataclass

import torch
from torch import nn

from reference.hw5.q4_vgg16 import VGG16_BLOCKS, conv_params

POOL = 2  # 2×2 max pool, stride 2, mirrored by a 2×2 unpool


@dataclass(frozen=True)
class DeconvNetConfig:
    in_channels: int = 3  # RGB in, RGB-sized out
    blocks: tuple[tuple[int, ...], ...] = VGG16_BLOCKS  # encoder conv widths per block (VGG16)
    kernel: int = 3  # every conv and transposed conv is k×k, stride 1, padding k//2 ("same")


@dataclass(frozen=True)
class DeconvNetParamCount:
    encoder: int
    decoder: int

    @property
    def total(self) -> int:
        return self.encoder + self.decoder


def _conv_channel_pairs(config: DeconvNetConfig) -> list[list[tuple[int, int]]]:
    """(C_in, C_out) of each encoder conv, grouped by block."""
    pairs, c_in = [], config.in_channels
    for widths in config.blocks:
        block = []
        for c_out in widths:
            block.append((c_in, c_out))
            c_in = c_out
        pairs.append(block)
    return pairs


def deconvnet_param_count(config: DeconvNetConfig = DeconvNetConfig()) -> DeconvNetParamCount:
    """Closed-form count. A conv C_in→C_out has k²·C_in·C_out + C_out; its mirror C_out→C_in has the
    same k²·C_in·C_out weights but C_in biases. Pools and unpools have no parameters."""
    encoder = decoder = 0
    for block in _conv_channel_pairs(config):
        for c_in, c_out in block:
            encoder += conv_params(c_in, c_out, config.kernel)
            decoder += conv_params(c_out, c_in, config.kernel)
    return DeconvNetParamCount(encoder=encoder, decoder=decoder)


class DeconvNet(nn.Module):
    """Encoder–decoder with max-unpooling switches; output shape == input shape."""

    def __init__(self, config: DeconvNetConfig = DeconvNetConfig()) -> None:
        super().__init__()
        pad = config.kernel // 2
        blocks = _conv_channel_pairs(config)
        self.encoder = nn.ModuleList(
            nn.Sequential(
                *(m for c_in, c_out in block for m in (nn.Conv2d(c_in, c_out, config.kernel, padding=pad), nn.ReLU()))
            )
            for block in blocks
        )
        self.pool = nn.MaxPool2d(POOL, stride=POOL, return_indices=True)
        self.unpool = nn.MaxUnpool2d(POOL, stride=POOL)

        decoder = []
        for b, block in enumerate(reversed(blocks)):
            layers: list[nn.Module] = []
            for i, (c_in, c_out) in enumerate(reversed(block)):
                layers.append(nn.ConvTranspose2d(c_out, c_in, config.kernel, padding=pad))
                is_output_layer = b == len(blocks) - 1 and i == len(block) - 1
                if not is_output_layer:  # the reconstruction itself is left unconstrained
                    layers.append(nn.ReLU())
            decoder.append(nn.Sequential(*layers))
        self.decoder = nn.ModuleList(decoder)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        switches: list[tuple[torch.Tensor, torch.Size]] = []
        for block in self.encoder:
            x = block(x)
            size = x.shape[-2:]  # remembered so the unpool restores odd sizes exactly
            x, indices = self.pool(x)
            switches.append((indices, size))
        for block, (indices, size) in zip(self.decoder, reversed(switches), strict=True):
            x = self.unpool(x, indices, output_size=size)
            x = block(x)
        return x
