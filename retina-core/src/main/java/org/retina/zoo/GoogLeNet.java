package org.retina.zoo;

import org.retina.model.Graph;
import org.retina.model.Model;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Concat;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Dropout;
import org.retina.nn.Fit;
import org.retina.nn.Flatten;
import org.retina.nn.GlobalAvgPool2d;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.tensor.Shape;

/**
 * GoogLeNet (Inception v1) as torchvision builds it, without the auxiliary heads: every convolution is a
 * BasicConv2d (conv without bias, batch norm with eps 0.001, ReLU), the "5x5" branch of each Inception block
 * uses a 3x3 kernel as torchvision's does, max pools take ceil mode, and global average pooling, dropout 0.2 and
 * a dense layer end it; 6,624,904 parameters for 1000 classes. Node names are torchvision's module paths
 * ({@code conv1.conv}, {@code inception3a.branch2.1.bn}, {@code fc}); the ReLUs, which torchvision calls as
 * functions, are named {@code ....relu}, and each block's concatenation is named after the block.
 * <p>Sizes: global pooling makes any input from 31x31 up work (below that, {@code maxpool4} gets a 1x1 map,
 * smaller than its 2x2 window); 224x224 is the default.
 */
public final class GoogLeNet {
    /** RGB 224x224 images, as torchvision's pretrained weights. */
    public static final Shape INPUT = Shape.of(3, 224, 224);
    /** Batch-norm epsilon of torchvision's BasicConv2d. */
    private static final double BN_EPS = 0.001;

    private GoogLeNet() {
    }

    /** The network with {@code numClasses} outputs, for {@link #INPUT}. */
    public static Blueprint create(int numClasses) {
        return create(numClasses, INPUT.dim(1));
    }

    /** The network with {@code numClasses} outputs for {@code 3 x size x size} images. */
    public static Blueprint create(int numClasses, int size) {
        Zoo.checkClasses("googlenet", numClasses);
        Graph.Builder g = Graph.builder();
        String x = basicConv(g, "conv1", Model.INPUT, Conv2d.of(64, 7).withStride(2).withPadding(3)
                .withFit(Fit.FLOOR));                                                  // (64, 112, 112)
        x = g.add("maxpool1", ceilPool(3, 2), x);                                      // (64, 56, 56)
        x = basicConv(g, "conv2", x, Conv2d.of(64, 1));
        x = basicConv(g, "conv3", x, Conv2d.of(192, 3).withPadding(1));                // (192, 56, 56)
        x = g.add("maxpool2", ceilPool(3, 2), x);                                      // (192, 28, 28)
        x = inception(g, "inception3a", x, 64, 96, 128, 16, 32, 32);                   // (256, 28, 28)
        x = inception(g, "inception3b", x, 128, 128, 192, 32, 96, 64);                 // (480, 28, 28)
        x = g.add("maxpool3", ceilPool(3, 2), x);                                      // (480, 14, 14)
        x = inception(g, "inception4a", x, 192, 96, 208, 16, 48, 64);                  // (512, 14, 14)
        x = inception(g, "inception4b", x, 160, 112, 224, 24, 64, 64);
        x = inception(g, "inception4c", x, 128, 128, 256, 24, 64, 64);
        x = inception(g, "inception4d", x, 112, 144, 288, 32, 64, 64);                 // (528, 14, 14)
        x = inception(g, "inception4e", x, 256, 160, 320, 32, 128, 128);               // (832, 14, 14)
        x = g.add("maxpool4", ceilPool(2, 2), x);                                      // (832, 7, 7)
        x = inception(g, "inception5a", x, 256, 160, 320, 32, 128, 128);
        x = inception(g, "inception5b", x, 384, 192, 384, 48, 128, 128);               // (1024, 7, 7)
        x = g.add("avgpool", GlobalAvgPool2d.of(), x);                                 // (1024, 1, 1)
        x = g.add("flatten", Flatten.of(), x);
        x = g.add("dropout", Dropout.of(0.2), x);
        x = g.add("fc", Dense.of(numClasses), x);
        return new Blueprint(g.build(x), Shape.of(3, size, size));
    }

    /**
     * Adds torchvision's BasicConv2d reading {@code input}: {@code conv} without bias as {@code name.conv}, batch
     * norm (eps 0.001) as {@code name.bn}, ReLU as {@code name.relu}; returns the name of the ReLU.
     */
    public static String basicConv(Graph.Builder g, String name, String input, Conv2d conv) {
        String x = g.add(name + ".conv", conv.withBias(false), input);
        x = g.add(name + ".bn", BatchNorm2d.of().withEps(BN_EPS), x);
        return g.add(name + ".relu", ReLU.of(), x);
    }

    /**
     * Adds an Inception block reading {@code input}: four branches, 1x1 ({@code ch1x1}); 1x1 then 3x3
     * ({@code ch3x3red}, {@code ch3x3}); 1x1 then 3x3 again for the paper's 5x5 ({@code ch5x5red},
     * {@code ch5x5}); max pool 3x3 stride 1 then 1x1 ({@code poolProj}); concatenated along the channels into
     * the node {@code name}, which it returns. The spatial size is kept.
     */
    public static String inception(Graph.Builder g, String name, String input, int ch1x1, int ch3x3red, int ch3x3,
                                   int ch5x5red, int ch5x5, int poolProj) {
        String b1 = basicConv(g, name + ".branch1", input, Conv2d.of(ch1x1, 1));
        String b2 = basicConv(g, name + ".branch2.0", input, Conv2d.of(ch3x3red, 1));
        b2 = basicConv(g, name + ".branch2.1", b2, Conv2d.of(ch3x3, 3).withPadding(1));
        String b3 = basicConv(g, name + ".branch3.0", input, Conv2d.of(ch5x5red, 1));
        b3 = basicConv(g, name + ".branch3.1", b3, Conv2d.of(ch5x5, 3).withPadding(1));
        String b4 = g.add(name + ".branch4.0", MaxPool2d.of(3).withStride(1).withPadding(1).withFit(Fit.CEIL), input);
        b4 = basicConv(g, name + ".branch4.1", b4, Conv2d.of(poolProj, 1));
        return g.add(name, Concat.of(), b1, b2, b3, b4);
    }

    private static MaxPool2d ceilPool(int kernel, int stride) {
        return MaxPool2d.of(kernel).withStride(stride).withFit(Fit.CEIL);
    }
}
