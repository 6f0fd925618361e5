#!/usr/bin/python3
"""Exports torchvision's classification CNNs to ONNX the way users do, for Retina's import tests.

    make_torchvision_onnx.py OUTDIR [--size small|full] [--only NAME,...] [--opsets 13,17] [--fold both|on|off]

For every family and opset it writes NAME-oOPSET[-nofold].onnx (torch.onnx.export with a dynamic batch axis,
do_constant_folding on, and off for the "-nofold" copy) and NAME_output.npy: PyTorch's float32 output, in eval
mode, for a batch of 2 given in closed form (test_input; the tests recompute it). Weights are torchvision's own random
initialisation from a fixed seed; every batch norm then gets seeded non-trivial running statistics, scale and
shift, so that folding or ignoring batch norm would show.

--size small (the default) builds each family from torchvision's own blocks at a fraction of the channels
(the committed test files: a few hundred kB each); --size full builds the networks as torchvision ships them
(ResNet-18 and the rest at 224x224, Inception v3 at 299x299), which the tests generate only when Python and
torchvision are present.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision import models
from torchvision.models import resnet, mobilenetv3, efficientnet, shufflenetv2, mnasnet, regnet, convnext, densenet

# torchvision.models re-exports functions under some module names (googlenet, squeezenet, ...): take the modules.
gnet = sys.modules["torchvision.models.googlenet"]
incep = sys.modules["torchvision.models.inception"]
squeezenet = sys.modules["torchvision.models.squeezenet"]
vgg = sys.modules["torchvision.models.vgg"]

CLASSES = 10


class _Narrow(resnet.ResNet):
    """torchvision's ResNet at 1/16 of its channels: the stem, the four stages and the head scaled alike."""

    def __init__(self, block, layers, div=16, **kw):
        self._div = div
        self._first = True
        super().__init__(block, layers, num_classes=CLASSES, **kw)
        stem = 64 // div
        self.conv1 = nn.Conv2d(3, stem, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = self._norm_layer(stem)
        self.fc = nn.Linear(512 // div * block.expansion, CLASSES)

    def _make_layer(self, block, planes, blocks, stride=1, dilate=False):
        if self._first:
            self.inplanes = 64 // self._div
            self._first = False
        return super()._make_layer(block, planes // self._div, blocks, stride, dilate)


def _div_conv(base, div, keep_in=3):
    """A conv-block class of an Inception family whose channel counts are divided by div (the RGB input kept)."""

    class DivConv(base):
        def __init__(self, in_channels, out_channels, **kw):
            super().__init__(in_channels if in_channels == keep_in else in_channels // div, out_channels // div, **kw)

    return DivConv


def _with_conv(base, conv):
    """An Inception block class that builds its convolutions with conv (the blocks take it as conv_block)."""

    class Block(base):
        def __init__(self, *args, **kw):
            super().__init__(*args, conv_block=conv, **kw)

    return Block


def small_vgg(bn):
    cfg = [8, "M", 16, "M", 16, 16, "M", 16, 16, "M", 16, 16]  # one pooling fewer: 112x112 in, 7x7 out
    m = vgg.VGG(vgg.make_layers(cfg, batch_norm=bn), num_classes=CLASSES)
    m.classifier = nn.Sequential(nn.Linear(16 * 7 * 7, 32), nn.ReLU(True), nn.Dropout(), nn.Linear(32, 32),
                                 nn.ReLU(True), nn.Dropout(), nn.Linear(32, CLASSES))
    return m


def small_alexnet():
    m = models.alexnet(num_classes=CLASSES)
    m.features = nn.Sequential(
        nn.Conv2d(3, 8, kernel_size=11, stride=4, padding=2), nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(8, 24, kernel_size=5, padding=2), nn.ReLU(inplace=True), nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(24, 32, kernel_size=3, padding=1), nn.ReLU(inplace=True),
        nn.Conv2d(32, 32, kernel_size=3, padding=1), nn.ReLU(inplace=True),
        nn.Conv2d(32, 32, kernel_size=3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(kernel_size=3, stride=2))
    m.classifier = nn.Sequential(nn.Dropout(), nn.Linear(32 * 6 * 6, 32), nn.ReLU(inplace=True), nn.Dropout(),
                                 nn.Linear(32, 32), nn.ReLU(inplace=True), nn.Linear(32, CLASSES))
    return m


def small_squeezenet(version):
    m = squeezenet.SqueezeNet(version, num_classes=CLASSES)
    F = squeezenet.Fire
    if version == "1_0":
        m.features = nn.Sequential(
            nn.Conv2d(3, 24, kernel_size=7, stride=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            F(24, 4, 8, 8), F(16, 4, 8, 8), F(16, 8, 16, 16), nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            F(32, 8, 16, 16), F(32, 12, 24, 24), F(48, 12, 24, 24), F(48, 16, 32, 32),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True), F(64, 16, 32, 32))
    else:
        m.features = nn.Sequential(
            nn.Conv2d(3, 16, kernel_size=3, stride=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            F(16, 4, 8, 8), F(16, 4, 8, 8), nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            F(16, 8, 16, 16), F(32, 8, 16, 16), nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            F(32, 12, 24, 24), F(48, 12, 24, 24), F(48, 16, 32, 32), F(64, 16, 32, 32))
    final = nn.Conv2d(64, CLASSES, kernel_size=1)
    nn.init.normal_(final.weight, mean=0.0, std=0.01)
    m.classifier = nn.Sequential(nn.Dropout(p=0.5), final, nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d((1, 1)))
    return m


def small_googlenet():
    conv = _div_conv(gnet.BasicConv2d, 8)
    m = gnet.GoogLeNet(num_classes=CLASSES, aux_logits=False, init_weights=True,
                       blocks=[conv, _with_conv(gnet.Inception, conv), gnet.InceptionAux])
    m.fc = nn.Linear(1024 // 8, CLASSES)
    return m


def small_inception_v3():
    conv = _div_conv(incep.BasicConv2d, 16)
    blocks = [incep.InceptionA, incep.InceptionB, incep.InceptionC, incep.InceptionD, incep.InceptionE]
    m = incep.Inception3(num_classes=CLASSES, aux_logits=False, init_weights=True,
                         inception_blocks=[conv] + [_with_conv(b, conv) for b in blocks] + [incep.InceptionAux])
    m.fc = nn.Linear(2048 // 16, CLASSES)
    return m


def small_mobilenet_v2():
    m = models.mobilenet_v2(num_classes=CLASSES, width_mult=0.125)
    # torchvision keeps the last 1x1 convolution at 1280 channels whatever the width; 128 here.
    m.features[-1] = torchvision.ops.Conv2dNormActivation(m.features[-1][0].in_channels, 128, kernel_size=1,
                                                          activation_layer=nn.ReLU6)
    m.classifier = nn.Sequential(nn.Dropout(p=0.2), nn.Linear(128, CLASSES))
    return m


def small_mnasnet():
    m = mnasnet.MNASNet(0.125, num_classes=CLASSES)
    # The same for MNASNet's last 1x1 convolution (1280 channels at any alpha).
    m.layers[14] = nn.Conv2d(m.layers[14].in_channels, 128, 1, 1, 0, bias=False)
    m.layers[15] = nn.BatchNorm2d(128, momentum=m.layers[15].momentum)
    m.classifier = nn.Sequential(nn.Dropout(p=0.2, inplace=True), nn.Linear(128, CLASSES))
    return m


def small_efficientnet():
    setting, last = efficientnet._efficientnet_conf("efficientnet_b0", width_mult=0.125, depth_mult=0.34)
    return efficientnet.EfficientNet(setting, 0.2, last_channel=last, num_classes=CLASSES)


def small_mobilenet_v3(arch):
    setting, last = mobilenetv3._mobilenet_v3_conf(arch, width_mult=0.125)
    return mobilenetv3.MobileNetV3(setting, last, num_classes=CLASSES)


def small_regnet(se):
    params = regnet.BlockParams.from_init_params(depth=4, w_0=8, w_a=8.0, w_m=2.0, group_width=8,
                                                 se_ratio=0.25 if se else None)
    return regnet.RegNet(params, stem_width=8, num_classes=CLASSES)


def small_convnext():
    cfg = convnext.CNBlockConfig
    return convnext.ConvNeXt([cfg(8, 16, 1), cfg(16, 32, 1), cfg(32, 64, 2), cfg(64, None, 1)],
                             stochastic_depth_prob=0.1, num_classes=CLASSES)


# name -> (small builder, small input, full builder, full input); full models keep 1000 classes.
FAMILIES = {
    "resnet18": (lambda: _Narrow(resnet.BasicBlock, [2, 2, 2, 2]), 64, models.resnet18, 224),
    "resnet50": (lambda: _Narrow(resnet.Bottleneck, [1, 1, 1, 1]), 64, models.resnet50, 224),
    "resnext50_32x4d": (lambda: _Narrow(resnet.Bottleneck, [1, 1, 1, 1], groups=4, width_per_group=16), 64,
                        models.resnext50_32x4d, 224),
    "vgg11": (lambda: small_vgg(False), 112, models.vgg11, 224),
    "vgg11_bn": (lambda: small_vgg(True), 112, models.vgg11_bn, 224),
    "alexnet": (small_alexnet, 224, models.alexnet, 224),
    "squeezenet1_0": (lambda: small_squeezenet("1_0"), 96, models.squeezenet1_0, 224),
    "squeezenet1_1": (lambda: small_squeezenet("1_1"), 96, models.squeezenet1_1, 224),
    "densenet121": (lambda: densenet.DenseNet(growth_rate=8, block_config=(2, 2, 2, 2), num_init_features=16,
                                              bn_size=2, num_classes=CLASSES), 64, models.densenet121, 224),
    "googlenet": (small_googlenet, 64, lambda: models.googlenet(aux_logits=False, init_weights=True), 224),
    "inception_v3": (small_inception_v3, 96, lambda: models.inception_v3(aux_logits=False, init_weights=True), 299),
    "mobilenet_v2": (small_mobilenet_v2, 64, models.mobilenet_v2, 224),
    "mobilenet_v3_small": (lambda: small_mobilenet_v3("mobilenet_v3_small"), 64, models.mobilenet_v3_small, 224),
    "mobilenet_v3_large": (lambda: small_mobilenet_v3("mobilenet_v3_large"), 64, models.mobilenet_v3_large, 224),
    "efficientnet_b0": (small_efficientnet, 64, models.efficientnet_b0, 224),
    "shufflenet_v2": (lambda: shufflenetv2.ShuffleNetV2([1, 2, 1], [8, 16, 32, 64, 128], num_classes=CLASSES), 64,
                      models.shufflenet_v2_x1_0, 224),
    "mnasnet": (small_mnasnet, 64, models.mnasnet1_0, 224),
    "regnet_x": (lambda: small_regnet(False), 64, models.regnet_x_400mf, 224),
    "regnet_y": (lambda: small_regnet(True), 64, models.regnet_y_400mf, 224),
    "convnext": (small_convnext, 64, models.convnext_tiny, 224),
}


def seeded_statistics(model, gen, px, batches):
    """Non-trivial batch-norm statistics, scale and shift (torchvision initialises them to 0, 1, 1, 0).

    Scale and shift are drawn; the running statistics are then measured, as training would leave them, over a
    few seeded batches in training mode (so that the signal carries through the depth, as in a trained network,
    instead of fading under statistics that fit no activation), and finally perturbed by a few percent.
    """
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    for m in norms:
        c = m.num_features
        m.weight.data.copy_(torch.rand(c, generator=gen) * 0.5 + 0.75)
        m.bias.data.copy_(torch.randn(c, generator=gen) * 0.1)
        m.reset_running_stats()
        m.momentum = None  # a cumulative average over the calibration batches
    if norms:
        model.train()
        with torch.no_grad():
            for _ in range(batches):
                model(torch.randn(4, 3, px, px, generator=gen))
    for m in norms:
        c = m.num_features
        m.running_mean.add_(torch.randn(c, generator=gen) * 0.05 * m.running_var.sqrt())
        m.running_var.mul_(torch.rand(c, generator=gen) * 0.2 + 0.9)
    for m in model.modules():
        if isinstance(m, nn.LayerNorm) or type(m).__name__ == "LayerNorm2d":
            m.weight.data.copy_(torch.rand(m.weight.shape, generator=gen) * 0.5 + 0.75)
            m.bias.data.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
        if isinstance(m, convnext.CNBlock):
            # torchvision starts the layer scale at 1e-6, which would hide the whole block behind the shortcut.
            m.layer_scale.data.copy_(torch.rand(m.layer_scale.shape, generator=gen) * 0.5 + 0.5)


def test_input(*shape):
    """The input batch, in closed form so that the tests recompute it instead of reading a file:
    x[i] = float32(1.5 * sin(0.7133 * i + 0.25)) over the flat index i."""
    i = np.arange(int(np.prod(shape)), dtype=np.float64)
    return (1.5 * np.sin(0.7133 * i + 0.25)).astype(np.float32).reshape(shape)


def export(name, size, outdir, opsets, folds):
    small, small_px, full, full_px = FAMILIES[name]
    torch.manual_seed(20261205)
    model = small() if size == "small" else full()
    px = small_px if size == "small" else full_px
    seeded_statistics(model, torch.Generator().manual_seed(7), px, 4 if size == "small" else 2)
    model.eval()
    x = torch.from_numpy(test_input(2, 3, px, px))
    with torch.no_grad():
        y = model(x)
    np.save(os.path.join(outdir, name + "_output.npy"), y.numpy().astype(np.float32))
    written = []
    for opset in opsets:
        for fold in folds:
            file = os.path.join(outdir, "%s-o%d%s.onnx" % (name, opset, "" if fold else "-nofold"))
            tmp = file + ".tmp"
            torch.onnx.export(model, x, tmp, opset_version=opset, do_constant_folding=fold,
                              input_names=["input"], output_names=["output"],
                              dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
            os.replace(tmp, file)
            written.append(os.path.basename(file))
    params = sum(p.numel() for p in model.parameters())
    return {"name": name, "size": size, "input": [3, px, px], "parameters": params, "files": written,
            "output_scale": float(y.abs().max())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--size", choices=["small", "full"], default="small")
    ap.add_argument("--only", default="")
    ap.add_argument("--opsets", default="13,17")
    ap.add_argument("--fold", choices=["both", "on", "off"], default="both")
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    names = [n for n in args.only.split(",") if n] or list(FAMILIES)
    for n in names:
        if n not in FAMILIES:
            sys.exit("unknown family %s; known: %s" % (n, ", ".join(FAMILIES)))
    opsets = [int(o) for o in args.opsets.split(",")]
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    folds = {"both": (True, False), "on": (True,), "off": (False,)}[args.fold]
    cases = [export(n, args.size, args.outdir, opsets, folds) for n in names]
    manifest = {"torch": torch.__version__, "torchvision": torchvision.__version__,
                "python": sys.version.split()[0], "opsets": opsets, "cases": cases}
    with open(os.path.join(args.outdir, "MANIFEST.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    for c in cases:
        print("%-20s %s %8d parameters  %s" % (c["name"], c["size"], c["parameters"], " ".join(c["files"])))


if __name__ == "__main__":
    main()
