package org.retina.zoo;

import java.util.List;
import org.retina.model.Sequential;
import org.retina.nn.AvgPool2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Dropout;
import org.retina.nn.Fit;
import org.retina.nn.Flatten;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.tensor.Shape;

/**
 * VGG16 (configuration D of Simonyan and Zisserman), torchvision's {@code vgg16}: thirteen conv 3x3 padding 1 +
 * ReLU in five stages of 64, 128, 256, 512 and 512 channels, each closed by max pool 2, then dense 4096, 4096 and
 * classes with ReLU and dropout 0.5; 138,357,544 parameters for 1000 classes. The node names are torchvision's
 * ({@code features.0} ... {@code features.30}, {@code avgpool}, {@code classifier.0} ... {@code classifier.6}), so
 * its weights map one to one.
 * <p>Sizes: the classifier reads a 7x7x512 volume. The five pools floor as PyTorch's do, so an input of {@code s}
 * pixels ends at {@code floor(s/32)}; torchvision's adaptive pool then brings any map to 7x7, which here is
 * possible where the map is a multiple of 7: inputs from 224 to 255 need nothing, from 448 to 479 an average pool
 * 2x2 (node {@code avgpool}), in general {@code 224k .. 224k + 31}. Other sizes are refused; for dense outputs on
 * larger images convert the network with {@code Models.toFullyConvolutional}.
 */
public final class Vgg16 {
    /** RGB 224x224 images, as torchvision's pretrained weights. */
    public static final Shape INPUT = Shape.of(3, 224, 224);
    private static final List<List<Integer>> STAGES = List.of(List.of(64, 64), List.of(128, 128),
            List.of(256, 256, 256), List.of(512, 512, 512), List.of(512, 512, 512));

    private Vgg16() {
    }

    /** The network with {@code numClasses} outputs, for {@link #INPUT}. */
    public static Blueprint create(int numClasses) {
        return create(numClasses, INPUT.dim(1));
    }

    /** The network with {@code numClasses} outputs for {@code 3 x size x size} images (see the class comment). */
    public static Blueprint create(int numClasses, int size) {
        Zoo.checkClasses("vgg16", numClasses);
        int map = size / 32;
        if (map < 7 || map % 7 != 0) {
            throw new IllegalArgumentException("vgg16: input " + size + "x" + size + " ends in a " + map + "x" + map
                    + " map, which no average pool takes to the classifier's 7x7; expected a size in 224k .. 224k + 31"
                    + " (224..255, 448..479, ...)");
        }
        Sequential.Builder b = Sequential.builder();
        int i = 0;
        for (List<Integer> stage : STAGES) {
            for (int channels : stage) {
                b.add("features." + i++, Conv2d.of(channels, 3).withPadding(1));
                b.add("features." + i++, ReLU.of());
            }
            b.add("features." + i++, MaxPool2d.of(2).withFit(Fit.FLOOR));
        }
        if (map > 7) {
            b.add("avgpool", AvgPool2d.of(map / 7));                    // (512, 7, 7)
        }
        b.add("flatten", Flatten.of())                                  // (25088)
                .add("classifier.0", Dense.of(4096))
                .add("classifier.1", ReLU.of())
                .add("classifier.2", Dropout.of(0.5))
                .add("classifier.3", Dense.of(4096))
                .add("classifier.4", ReLU.of())
                .add("classifier.5", Dropout.of(0.5))
                .add("classifier.6", Dense.of(numClasses));
        return new Blueprint(b.build(), Shape.of(3, size, size));
    }
}
