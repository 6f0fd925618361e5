"""Writes small ONNX files exported by PyTorch with known inputs and outputs, for Retina's import tests.

Run once with PyTorch (no onnx package needed): python3 make_pytorch_onnx.py. For each network NAME it writes
NAME.onnx, NAME_input.npy and NAME_output.npy (PyTorch's float32 output in evaluation mode) beside this script.
"""
import os

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


class ConvNet(nn.Module):
    """conv / batch norm / ReLU / pools / dense: the everyday classifier."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.bn2 = nn.BatchNorm2d(16)
        self.pool2 = nn.AvgPool2d(2)
        self.fc1 = nn.Linear(16 * 2 * 2, 32)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = self.pool1(torch.relu(self.bn1(self.conv1(x))))
        x = self.pool2(torch.relu(self.bn2(self.conv2(x))))
        x = torch.flatten(x, 1)
        return self.fc2(self.drop(torch.relu(self.fc1(x))))


class Residual(nn.Module):
    """A ResNet stem, a basic block with identity shortcut and one with a 1x1 projection, global pooling."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 5, stride=2, padding=2, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.a1 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.abn1 = nn.BatchNorm2d(8)
        self.a2 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.abn2 = nn.BatchNorm2d(8)
        self.b1 = nn.Conv2d(8, 16, 3, stride=2, padding=1, bias=False)
        self.bbn1 = nn.BatchNorm2d(16)
        self.b2 = nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.bbn2 = nn.BatchNorm2d(16)
        self.down = nn.Conv2d(8, 16, 1, stride=2, bias=False)
        self.downbn = nn.BatchNorm2d(16)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 5)

    def forward(self, x):
        x = self.maxpool(torch.relu(self.bn1(self.conv1(x))))
        y = torch.relu(self.abn1(self.a1(x)))
        x = torch.relu(self.abn2(self.a2(y)) + x)
        y = torch.relu(self.bbn1(self.b1(x)))
        x = torch.relu(self.bbn2(self.b2(y)) + self.downbn(self.down(x)))
        return self.fc(torch.flatten(self.pool(x), 1))


class GroupedDilated(nn.Module):
    """Grouped, depthwise and dilated convolutions with the other activations and paddings ONNX carries."""

    def __init__(self):
        super().__init__()
        self.pad = nn.ReflectionPad2d((1, 2, 2, 1))
        self.grouped = nn.Conv2d(4, 8, 3, groups=2)
        self.prelu = nn.PReLU(8)
        self.depthwise = nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=8)
        self.edge = nn.ReplicationPad2d(1)
        self.dilated = nn.Conv2d(8, 6, 3, dilation=(2, 1), stride=(1, 2), bias=False)
        self.const = nn.ConstantPad2d((0, 1, 1, 0), 0.5)
        self.elu = nn.ELU(0.7)
        self.leaky = nn.LeakyReLU(0.2)
        self.relu6 = nn.ReLU6()
        self.pool = nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)

    def forward(self, x):
        x = self.prelu(self.grouped(self.pad(x)))
        x = self.leaky(self.depthwise(x))
        x = self.elu(self.dilated(self.edge(x)))
        x = self.pool(self.relu6(self.const(x)))
        a = nn.functional.selu(x)
        b = nn.functional.softplus(x) + nn.functional.softsign(x) + torch.sigmoid(x) * torch.tanh(x)
        return torch.log_softmax(a + b, dim=1)


def export(name, net, shape, opset):
    torch.manual_seed(len(name))
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            # non-trivial statistics, so that the importer's mapping of all four tensors shows
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)
    net.eval()
    x = torch.rand(shape) * 2 - 1
    with torch.no_grad():
        y = net(x)
    # PRESERVE keeps BatchNormalization nodes (EVAL would fold them into the convolutions)
    torch.onnx.export(net, x, os.path.join(HERE, name + ".onnx"), opset_version=opset,
                      input_names=["input"], output_names=["output"],
                      training=torch.onnx.TrainingMode.PRESERVE)
    np.save(os.path.join(HERE, name + "_input.npy"), x.numpy())
    np.save(os.path.join(HERE, name + "_output.npy"), y.numpy())


torch.manual_seed(0)
export("convnet", ConvNet(), (2, 3, 16, 16), 13)
export("residual", Residual(), (2, 3, 32, 32), 11)
export("grouped_dilated", GroupedDilated(), (2, 4, 12, 11), 17)
