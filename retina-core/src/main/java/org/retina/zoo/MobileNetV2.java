package org.retina.zoo;

import org.retina.model.Graph;
import org.retina.model.Model;
import org.retina.nn.Add;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Clip;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Dropout;
import org.retina.nn.Fit;
import org.retina.nn.Flatten;
import org.retina.nn.GlobalAvgPool2d;
import org.retina.tensor.Shape;

/**
 * MobileNet v2 (Sandler et al.) as torchvision builds it at width 1.0: a 3x3 stride-2 stem of 32 channels,
 * seventeen inverted residual blocks (1x1 expansion by t, 3x3 depthwise convolution, linear 1x1 projection, each
 * with batch norm, ReLU6 after the first two; a shortcut where stride and channels allow), a 1x1 convolution to
 * 1280 channels, global average pooling, dropout 0.2 and one dense layer: 3,504,872 parameters for 1000 classes.
 * Node names are torchvision's module paths ({@code features.0.0}, {@code features.2.conv.1.0},
 * {@code classifier.1}), so its weights map one to one.
 */
public final class MobileNetV2 {
    /** RGB 224x224 images, as torchvision's pretrained weights. */
    public static final Shape INPUT = Shape.of(3, 224, 224);
    /** The blocks: expansion t, output channels c, repeats n, first stride s (the paper's table 2). */
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
    };

    private MobileNetV2() {
    }

    /** MobileNet v2 for {@link #INPUT}, 224x224 RGB images. */
    public static Blueprint create(int numClasses) {
        return create(numClasses, INPUT.dim(1));
    }

    /** MobileNet v2 for {@code 3 x size x size} images (the maps halve five times; global pooling ends them). */
    public static Blueprint create(int numClasses, int size) {
        Zoo.checkClasses("mobilenet_v2", numClasses);
        if (size < 1) {
            throw new IllegalArgumentException("mobilenet_v2: input size " + size + ", expected >= 1");
        }
        Graph.Builder g = Graph.builder();
        String x = convBnRelu6(g, "features.0", Model.INPUT, 32, 3, 2, 1);
        int channels = 32;
        int index = 1;
        for (int[] s : SETTINGS) {
            for (int i = 0; i < s[2]; i++) {
                x = invertedResidual(g, "features." + index++, x, channels, s[1], i == 0 ? s[3] : 1, s[0]);
                channels = s[1];
            }
        }
        x = convBnRelu6(g, "features." + index, x, 1280, 1, 1, 1);
        x = g.add("avgpool", GlobalAvgPool2d.of(), x);
        x = g.add("flatten", Flatten.of(), x);
        x = g.add("classifier.0", Dropout.of(0.2), x);
        x = g.add("classifier.1", Dense.of(numClasses), x);
        return new Blueprint(g.build(x), Shape.of(3, size, size));
    }

    /**
     * Adds an inverted residual block: the expansion (skipped when {@code t} is 1), the depthwise convolution
     * with the stride, the projection; plus the input when the stride is 1 and the channels stay. Returns the last
     * node's name.
     */
    private static String invertedResidual(Graph.Builder g, String name, String input, int in, int out, int stride,
            int t) {
        int hidden = in * t;
        String x = input;
        int at = 0;
        if (t != 1) {
            x = convBnRelu6(g, name + ".conv." + at++, x, hidden, 1, 1, 1);
        }
        x = convBnRelu6(g, name + ".conv." + at++, x, hidden, 3, stride, hidden);
        x = g.add(name + ".conv." + at++, conv(out, 1, 1, 1), x);
        x = g.add(name + ".conv." + at, BatchNorm2d.of(), x);
        return stride == 1 && in == out ? g.add(name + ".add", Add.of(), input, x) : x;
    }

    /** torchvision's Conv2dNormActivation with ReLU6: {@code name.0} conv, {@code name.1} batch norm, ReLU6. */
    private static String convBnRelu6(Graph.Builder g, String name, String input, int out, int kernel, int stride,
            int groups) {
        String x = g.add(name + ".0", conv(out, kernel, stride, groups), input);
        x = g.add(name + ".1", BatchNorm2d.of(), x);
        return g.add(name + ".2", Clip.of(0, 6), x);
    }

    private static Conv2d conv(int out, int kernel, int stride, int groups) {
        return Conv2d.of(out, kernel).withStride(stride).withPadding((kernel - 1) / 2).withGroups(groups)
                .withBias(false).withFit(Fit.FLOOR);
    }
}
