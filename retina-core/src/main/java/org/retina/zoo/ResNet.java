package org.retina.zoo;

import java.util.List;
import org.retina.model.Graph;
import org.retina.model.Model;
import org.retina.nn.Add;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Fit;
import org.retina.nn.Flatten;
import org.retina.nn.GlobalAvgPool2d;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.tensor.Shape;

/**
 * The residual networks of He et al. as torchvision builds them: a 7x7 stride-2 stem with batch norm and a 3x3
 * stride-2 max pool, four stages of basic blocks (ResNet-18, -34) or bottleneck blocks (ResNet-50, torchvision's
 * v1.5 with the stride on the 3x3), a 1x1 convolution + batch norm shortcut where the shape changes, global
 * average pooling and one dense layer: 11,689,512, 21,797,672 and 25,557,032 parameters for 1000 classes.
 * Node names are torchvision's module paths ({@code conv1}, {@code bn1}, {@code layer1.0.conv1},
 * {@code layer2.0.downsample.0}, {@code fc}), so its weights map one to one; the ReLUs torchvision shares in a
 * block are {@code relu1}, {@code relu2} and, after the sum {@code add}, {@code relu}.
 * <p>Sizes: every window floors as in PyTorch and global pooling ends the features, so any square input works;
 * the maps halve five times (224 ends at 7x7, 32 at 1x1).
 */
public final class ResNet {
    /** RGB 224x224 images, as torchvision's pretrained weights. */
    public static final Shape INPUT = Shape.of(3, 224, 224);
    /** RGB 32x32 images (CIFAR-10), for {@link #resnet18Cifar}. */
    public static final Shape CIFAR_INPUT = Shape.of(3, 32, 32);
    private static final int BOTTLENECK_EXPANSION = 4;

    private ResNet() {
    }

    /** ResNet-18 for {@link #INPUT}, 224x224 RGB images. */
    public static Blueprint resnet18(int numClasses) {
        return resnet18(numClasses, INPUT.dim(1));
    }

    /** ResNet-18, basic blocks [2, 2, 2, 2], for {@code 3 x size x size} images. */
    public static Blueprint resnet18(int numClasses, int size) {
        return create("resnet18", false, List.of(2, 2, 2, 2), numClasses, size);
    }

    /**
     * ResNet-18 with the stem CIFAR-10 work uses (He et al., section 4.2, as most CIFAR code applies it to the
     * ImageNet network): a 3x3 stride-1 convolution of 64 filters and no max pooling, so the four stages run at 32,
     * 16, 8 and 4 pixels for {@link #CIFAR_INPUT}: 11,173,962 parameters for 10 classes. Node names as
     * {@link #resnet18(int)}'s, without {@code maxpool}.
     */
    public static Blueprint resnet18Cifar(int numClasses) {
        return create("resnet18-cifar", false, List.of(2, 2, 2, 2), numClasses, CIFAR_INPUT.dim(1), 1, 64, true);
    }

    /** ResNet-34 for {@link #INPUT}, 224x224 RGB images. */
    public static Blueprint resnet34(int numClasses) {
        return resnet34(numClasses, INPUT.dim(1));
    }

    /** ResNet-34, basic blocks [3, 4, 6, 3], for {@code 3 x size x size} images. */
    public static Blueprint resnet34(int numClasses, int size) {
        return create("resnet34", false, List.of(3, 4, 6, 3), numClasses, size);
    }

    /** ResNet-50 for {@link #INPUT}, 224x224 RGB images. */
    public static Blueprint resnet50(int numClasses) {
        return resnet50(numClasses, INPUT.dim(1));
    }

    /** ResNet-50, bottleneck blocks [3, 4, 6, 3], for {@code 3 x size x size} images. */
    public static Blueprint resnet50(int numClasses, int size) {
        return create("resnet50", true, List.of(3, 4, 6, 3), numClasses, size);
    }

    /** ResNeXt-50 32x4d for {@link #INPUT}, 224x224 RGB images. */
    public static Blueprint resnext50(int numClasses) {
        return resnext50(numClasses, INPUT.dim(1));
    }

    /**
     * ResNeXt-50 32x4d (Xie et al.): ResNet-50's bottleneck blocks [3, 4, 6, 3] with the 3x3 convolution split
     * into 32 groups and the bottleneck twice as wide ({@code planes * 4 / 64 * 32}), for {@code 3 x size x size}
     * images: 25,028,904 parameters for 1000 classes.
     */
    public static Blueprint resnext50(int numClasses, int size) {
        return create("resnext50_32x4d", true, List.of(3, 4, 6, 3), numClasses, size, 32, 4);
    }

    private static Blueprint create(String name, boolean bottleneck, List<Integer> blocks, int numClasses,
                                    int size) {
        return create(name, bottleneck, blocks, numClasses, size, 1, 64, false);
    }

    private static Blueprint create(String name, boolean bottleneck, List<Integer> blocks, int numClasses,
                                    int size, int groups, int widthPerGroup) {
        return create(name, bottleneck, blocks, numClasses, size, groups, widthPerGroup, false);
    }

    private static Blueprint create(String name, boolean bottleneck, List<Integer> blocks, int numClasses,
                                    int size, int groups, int widthPerGroup, boolean cifarStem) {
        Zoo.checkClasses(name, numClasses);
        if (size < 1) {
            throw new IllegalArgumentException(name + ": input size " + size + ", expected >= 1");
        }
        Graph.Builder g = Graph.builder();
        String x = g.add("conv1", cifarStem ? conv(64, 3, 1, 1) : conv(64, 7, 2, 3), Model.INPUT); // (64, 112, 112)
        x = g.add("bn1", BatchNorm2d.of(), x);
        x = g.add("relu", ReLU.of(), x);
        if (!cifarStem) {
            x = g.add("maxpool", MaxPool2d.of(3).withStride(2).withPadding(1).withFit(Fit.FLOOR), x); // (64, 56, 56)
        }
        int channels = 64;
        for (int stage = 0; stage < blocks.size(); stage++) {
            int planes = 64 << stage;
            for (int b = 0; b < blocks.get(stage); b++) {
                String block = "layer" + (stage + 1) + "." + b;
                int stride = stage > 0 && b == 0 ? 2 : 1;
                x = bottleneck ? bottleneck(g, block, x, channels, planes, stride, groups, widthPerGroup)
                        : basicBlock(g, block, x, channels, planes, stride);
                channels = bottleneck ? planes * BOTTLENECK_EXPANSION : planes;
            }
        }
        x = g.add("avgpool", GlobalAvgPool2d.of(), x);                                        // (512 or 2048, 1, 1)
        x = g.add("flatten", Flatten.of(), x);
        x = g.add("fc", Dense.of(numClasses), x);
        return new Blueprint(g.build(x), Shape.of(3, size, size));
    }

    /**
     * Adds a basic block reading {@code input} ({@code inPlanes} channels): conv 3x3 ({@code stride}) - batch norm
     * - ReLU - conv 3x3 - batch norm, plus the input itself or, when the stride or the channels change, its 1x1
     * projection with batch norm ({@code name.downsample.0/1}); the sum, then ReLU. Returns the last node's name;
     * the block has {@code planes} output channels.
     */
    public static String basicBlock(Graph.Builder g, String name, String input, int inPlanes, int planes,
                                    int stride) {
        String x = g.add(name + ".conv1", conv(planes, 3, stride, 1), input);
        x = g.add(name + ".bn1", BatchNorm2d.of(), x);
        x = g.add(name + ".relu1", ReLU.of(), x);
        x = g.add(name + ".conv2", conv(planes, 3, 1, 1), x);
        x = g.add(name + ".bn2", BatchNorm2d.of(), x);
        return join(g, name, x, shortcut(g, name, input, inPlanes, planes, stride));
    }

    /**
     * Adds a bottleneck block reading {@code input}: conv 1x1 ({@code planes}) - batch norm - ReLU - conv 3x3
     * ({@code stride}) - batch norm - ReLU - conv 1x1 ({@code 4 * planes}) - batch norm, plus the shortcut as in
     * {@link #basicBlock}; the sum, then ReLU. Returns the last node's name; the block has {@code 4 * planes}
     * output channels.
     */
    public static String bottleneck(Graph.Builder g, String name, String input, int inPlanes, int planes,
                                    int stride) {
        return bottleneck(g, name, input, inPlanes, planes, stride, 1, 64);
    }

    /**
     * A bottleneck block as {@link #bottleneck(Graph.Builder, String, String, int, int, int)} whose 3x3
     * convolution has {@code groups} groups of {@code widthPerGroup * planes / 64} channels each (ResNeXt's
     * cardinality and width; 1 and 64 give ResNet's block).
     */
    public static String bottleneck(Graph.Builder g, String name, String input, int inPlanes, int planes,
                                    int stride, int groups, int widthPerGroup) {
        int width = planes * widthPerGroup / 64 * groups;
        String x = g.add(name + ".conv1", conv(width, 1, 1, 0), input);
        x = g.add(name + ".bn1", BatchNorm2d.of(), x);
        x = g.add(name + ".relu1", ReLU.of(), x);
        x = g.add(name + ".conv2", conv(width, 3, stride, 1).withGroups(groups), x);
        x = g.add(name + ".bn2", BatchNorm2d.of(), x);
        x = g.add(name + ".relu2", ReLU.of(), x);
        x = g.add(name + ".conv3", conv(planes * BOTTLENECK_EXPANSION, 1, 1, 0), x);
        x = g.add(name + ".bn3", BatchNorm2d.of(), x);
        return join(g, name, x, shortcut(g, name, input, inPlanes, planes * BOTTLENECK_EXPANSION, stride));
    }

    private static String shortcut(Graph.Builder g, String name, String input, int inPlanes, int outPlanes,
                                   int stride) {
        if (stride == 1 && inPlanes == outPlanes) {
            return input;
        }
        String s = g.add(name + ".downsample.0", conv(outPlanes, 1, stride, 0), input);
        return g.add(name + ".downsample.1", BatchNorm2d.of(), s);
    }

    private static String join(Graph.Builder g, String name, String residual, String shortcut) {
        String sum = g.add(name + ".add", Add.of(), residual, shortcut);
        return g.add(name + ".relu", ReLU.of(), sum);
    }

    /** A convolution as torchvision's ResNets use it: no bias (batch norm follows), PyTorch's floor rule. */
    private static Conv2d conv(int out, int kernel, int stride, int padding) {
        return Conv2d.of(out, kernel).withStride(stride).withPadding(padding).withBias(false).withFit(Fit.FLOOR);
    }
}
