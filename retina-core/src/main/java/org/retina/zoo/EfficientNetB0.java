package org.retina.zoo;

import org.retina.model.Graph;
import org.retina.model.Model;
import org.retina.nn.Add;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Dropout;
import org.retina.nn.Fit;
import org.retina.nn.Flatten;
import org.retina.nn.GlobalAvgPool2d;
import org.retina.nn.Multiply;
import org.retina.nn.SiLU;
import org.retina.nn.Sigmoid;
import org.retina.tensor.Shape;

/**
 * EfficientNet-B0 (Tan and Le) as torchvision builds it: a 3x3 stride-2 stem of 32 channels, sixteen MBConv
 * blocks (1x1 expansion, depthwise 3x3 or 5x5, squeeze-and-excitation to a quarter of the block's input channels,
 * linear 1x1 projection; batch norm throughout, SiLU; a shortcut where stride and channels allow), a 1x1
 * convolution to 1280, global average pooling, dropout 0.2 and one dense layer: 5,288,548 parameters for 1000
 * classes. Node names are torchvision's module paths ({@code features.2.0.block.2.fc1}, {@code classifier.1}).
 * torchvision's stochastic depth (which drops whole blocks of some samples in training) is left out: in
 * evaluation it is the identity, and the parameters are the same.
 */
public final class EfficientNetB0 {
    /** RGB 224x224 images, as torchvision's pretrained weights. */
    public static final Shape INPUT = Shape.of(3, 224, 224);
    /** The stages: expansion, kernel, first stride, output channels, blocks (the paper's table 1). */
    private static final int[][] STAGES = {
        {1, 3, 1, 16, 1}, {6, 3, 2, 24, 2}, {6, 5, 2, 40, 2}, {6, 3, 2, 80, 3}, {6, 5, 1, 112, 3}, {6, 5, 2, 192, 4},
        {6, 3, 1, 320, 1},
    };

    private EfficientNetB0() {
    }

    /** EfficientNet-B0 for {@link #INPUT}, 224x224 RGB images. */
    public static Blueprint create(int numClasses) {
        return create(numClasses, INPUT.dim(1));
    }

    /** EfficientNet-B0 for {@code 3 x size x size} images (the maps halve five times; global pooling ends them). */
    public static Blueprint create(int numClasses, int size) {
        Zoo.checkClasses("efficientnet_b0", numClasses);
        if (size < 1) {
            throw new IllegalArgumentException("efficientnet_b0: input size " + size + ", expected >= 1");
        }
        Graph.Builder g = Graph.builder();
        String x = convBnSilu(g, "features.0", Model.INPUT, 32, 3, 2, 1);
        int channels = 32;
        for (int s = 0; s < STAGES.length; s++) {
            int[] st = STAGES[s];
            for (int b = 0; b < st[4]; b++) {
                x = mbConv(g, "features." + (s + 1) + "." + b, x, channels, st[3], st[0], st[1], b == 0 ? st[2] : 1);
                channels = st[3];
            }
        }
        x = convBnSilu(g, "features.8", x, 1280, 1, 1, 1);
        x = g.add("avgpool", GlobalAvgPool2d.of(), x);
        x = g.add("flatten", Flatten.of(), x);
        x = g.add("classifier.0", Dropout.of(0.2), x);
        x = g.add("classifier.1", Dense.of(numClasses), x);
        return new Blueprint(g.build(x), Shape.of(3, size, size));
    }

    /** Adds an MBConv block (see the class comment); returns the last node's name. */
    private static String mbConv(Graph.Builder g, String name, String input, int in, int out, int expand, int kernel,
            int stride) {
        int hidden = in * expand;
        String x = input;
        int at = 0;
        if (expand != 1) {
            x = convBnSilu(g, name + ".block." + at++, x, hidden, 1, 1, 1);
        }
        x = convBnSilu(g, name + ".block." + at++, x, hidden, kernel, stride, hidden);
        String se = name + ".block." + at++;
        String s = g.add(se + ".avgpool", GlobalAvgPool2d.of(), x);
        s = g.add(se + ".fc1", Conv2d.of(Math.max(1, in / 4), 1), s);
        s = g.add(se + ".activation", SiLU.of(), s);
        s = g.add(se + ".fc2", Conv2d.of(hidden, 1), s);
        s = g.add(se + ".scale_activation", Sigmoid.of(), s);
        x = g.add(se + ".scale", Multiply.of(), x, s);
        String p = name + ".block." + at;
        x = g.add(p + ".0", conv(out, 1, 1, 1), x);
        x = g.add(p + ".1", BatchNorm2d.of(), x);
        return stride == 1 && in == out ? g.add(name + ".add", Add.of(), input, x) : x;
    }

    /** torchvision's Conv2dNormActivation with SiLU: {@code name.0} conv, {@code name.1} batch norm, SiLU. */
    private static String convBnSilu(Graph.Builder g, String name, String input, int out, int kernel, int stride,
            int groups) {
        String x = g.add(name + ".0", conv(out, kernel, stride, groups), input);
        x = g.add(name + ".1", BatchNorm2d.of(), x);
        return g.add(name + ".2", SiLU.of(), x);
    }

    private static Conv2d conv(int out, int kernel, int stride, int groups) {
        return Conv2d.of(out, kernel).withStride(stride).withPadding((kernel - 1) / 2).withGroups(groups)
                .withBias(false).withFit(Fit.FLOOR);
    }
}
