package org.retina.zoo;

import org.retina.model.Graph;
import org.retina.model.Model;
import org.retina.nn.AvgPool2d;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Concat;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Fit;
import org.retina.nn.Flatten;
import org.retina.nn.GlobalAvgPool2d;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.tensor.Shape;

/**
 * DenseNet-121 (Huang et al.) as torchvision builds it: a 7x7 stride-2 stem of 64 channels with batch norm, ReLU
 * and a 3x3 stride-2 max pool; four dense blocks of 6, 12, 24 and 16 layers, each layer (batch norm, ReLU, 1x1
 * convolution to 128, batch norm, ReLU, 3x3 convolution to the growth rate 32) reading the concatenation of all
 * earlier maps of its block; between blocks a transition (batch norm, ReLU, 1x1 convolution halving the
 * channels, 2x2 average pooling); a last batch norm and ReLU, global average pooling and one dense layer:
 * 7,978,856 parameters for 1000 classes. Node names are torchvision's module paths
 * ({@code features.denseblock1.denselayer1.conv1}, {@code features.transition1.conv}, {@code classifier}).
 */
public final class DenseNet121 {
    /** RGB 224x224 images, as torchvision's pretrained weights. */
    public static final Shape INPUT = Shape.of(3, 224, 224);
    private static final int[] BLOCKS = {6, 12, 24, 16};
    private static final int GROWTH = 32;
    private static final int BOTTLENECK = 4;

    private DenseNet121() {
    }

    /** DenseNet-121 for {@link #INPUT}, 224x224 RGB images. */
    public static Blueprint create(int numClasses) {
        return create(numClasses, INPUT.dim(1));
    }

    /** DenseNet-121 for {@code 3 x size x size} images (the maps halve five times; global pooling ends them). */
    public static Blueprint create(int numClasses, int size) {
        Zoo.checkClasses("densenet121", numClasses);
        if (size < 1) {
            throw new IllegalArgumentException("densenet121: input size " + size + ", expected >= 1");
        }
        Graph.Builder g = Graph.builder();
        String x = g.add("features.conv0", conv(64, 7, 2, 3), Model.INPUT);
        x = g.add("features.norm0", BatchNorm2d.of(), x);
        x = g.add("features.relu0", ReLU.of(), x);
        x = g.add("features.pool0", MaxPool2d.of(3).withStride(2).withPadding(1).withFit(Fit.FLOOR), x);
        int channels = 64;
        for (int b = 0; b < BLOCKS.length; b++) {
            String block = "features.denseblock" + (b + 1);
            for (int l = 1; l <= BLOCKS[b]; l++) {
                String layer = block + ".denselayer" + l;
                String y = g.add(layer + ".norm1", BatchNorm2d.of(), x);
                y = g.add(layer + ".relu1", ReLU.of(), y);
                y = g.add(layer + ".conv1", conv(BOTTLENECK * GROWTH, 1, 1, 0), y);
                y = g.add(layer + ".norm2", BatchNorm2d.of(), y);
                y = g.add(layer + ".relu2", ReLU.of(), y);
                y = g.add(layer + ".conv2", conv(GROWTH, 3, 1, 1), y);
                // torchvision concatenates every earlier map for each layer; adding one map at a time is the same
                x = g.add(layer + ".concat", Concat.of(), x, y);
                channels += GROWTH;
            }
            if (b < BLOCKS.length - 1) {
                String t = "features.transition" + (b + 1);
                x = g.add(t + ".norm", BatchNorm2d.of(), x);
                x = g.add(t + ".relu", ReLU.of(), x);
                channels /= 2;
                x = g.add(t + ".conv", conv(channels, 1, 1, 0), x);
                x = g.add(t + ".pool", AvgPool2d.of(2).withStride(2).withFit(Fit.FLOOR), x);
            }
        }
        x = g.add("features.norm5", BatchNorm2d.of(), x);
        x = g.add("features.relu5", ReLU.of(), x);
        x = g.add("avgpool", GlobalAvgPool2d.of(), x);
        x = g.add("flatten", Flatten.of(), x);
        x = g.add("classifier", Dense.of(numClasses), x);
        return new Blueprint(g.build(x), Shape.of(3, size, size));
    }

    private static Conv2d conv(int out, int kernel, int stride, int padding) {
        return Conv2d.of(out, kernel).withStride(stride).withPadding(padding).withBias(false).withFit(Fit.FLOOR);
    }
}
