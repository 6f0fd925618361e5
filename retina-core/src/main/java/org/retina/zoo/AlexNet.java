package org.retina.zoo;

import org.retina.model.Sequential;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Dropout;
import org.retina.nn.Fit;
import org.retina.nn.Flatten;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.tensor.Shape;

/**
 * AlexNet as the classic tutorials' parameter table gives it: one tower on {@code 3x227x227}, conv 96 11x11 stride 4 (55x55), max pool
 * 3 stride 2 (27x27), conv 256 5x5 padding 2, max pool (13x13), conv 384, 384 and 256 3x3 padding 1, max pool
 * (6x6x256), then dense 4096, 4096 and classes with ReLU and dropout 0.5: 62,378,344 parameters for 1000 classes.
 * The table's per-layer counts are Conv-1 34,944, Conv-2 614,656, Conv-3 885,120, Conv-4 1,327,488, Conv-5 884,992,
 * FC-1 37,752,832, FC-2 16,781,312, FC-3 4,097,000.
 * <p>The text's prose slips at Conv-5 ("changes the size back to 27x27x256"): the table and the arithmetic,
 * {@code (13 - 3 + 2)/1 + 1 = 13}, give 13x13x256, which MaxPool-3 takes to 6x6.
 * <p>Node names and layer order follow torchvision's {@code alexnet} ({@code features.0}, ..., {@code
 * classifier.6}), whose channel counts differ (it is the later one-GPU variant). The layers floor as PyTorch does;
 * at 227 every window fits exactly. FC-1 needs the 6x6x256 volume: inputs from 227 to 258 pixels give it (with
 * floor, {@code floor((s - 11)/4) + 1} lands in 55..62, which the pools take to 6); the factory refuses other
 * sizes. To slide the network over larger images, convert it with
 * {@code Models.toFullyConvolutional}.
 */
public final class AlexNet {
    /** RGB 227x227 images, the size at which the table's arithmetic is exact. */
    public static final Shape INPUT = Shape.of(3, 227, 227);

    private AlexNet() {
    }

    /** The network with {@code numClasses} outputs, for {@link #INPUT}. */
    public static Blueprint create(int numClasses) {
        return create(numClasses, INPUT.dim(1));
    }

    /** The network with {@code numClasses} outputs for {@code 3 x size x size} images, {@code size} in 227..258. */
    public static Blueprint create(int numClasses, int size) {
        Zoo.checkClasses("alexnet", numClasses);
        if (size < 227 || size > 258) {
            throw new IllegalArgumentException("alexnet: input " + size + "x" + size + " does not give FC-1 its 6x6x256"
                    + " volume; expected a size from 227 to 258 (or convert with Models.toFullyConvolutional)");
        }
        Sequential.Builder b = Sequential.builder()
                .add("features.0", Conv2d.of(96, 11).withStride(4).withFit(Fit.FLOOR))      // (96, 55, 55)
                .add("features.1", ReLU.of())
                .add("features.2", MaxPool2d.of(3).withStride(2).withFit(Fit.FLOOR))        // (96, 27, 27)
                .add("features.3", Conv2d.of(256, 5).withPadding(2))                        // (256, 27, 27)
                .add("features.4", ReLU.of())
                .add("features.5", MaxPool2d.of(3).withStride(2).withFit(Fit.FLOOR));       // (256, 13, 13)
        Sequential model = top(b, Fit.FLOOR, numClasses).build();
        return new Blueprint(model, Shape.of(3, size, size));
    }

    /**
     * What AlexNet and {@link ZfNet} share above their second pooling, added to {@code b}: conv 384, 384 and 256 3x3
     * padding 1 (13x13), a max pool 3 stride 2 with {@code poolFit} (6x6x256), then dense 4096, 4096 and
     * {@code numClasses} with ReLU and dropout 0.5, under torchvision's node names.
     */
    static Sequential.Builder top(Sequential.Builder b, Fit poolFit, int numClasses) {
        return b.add("features.6", Conv2d.of(384, 3).withPadding(1))                        // (384, 13, 13)
                .add("features.7", ReLU.of())
                .add("features.8", Conv2d.of(384, 3).withPadding(1))                        // (384, 13, 13)
                .add("features.9", ReLU.of())
                .add("features.10", Conv2d.of(256, 3).withPadding(1))                       // (256, 13, 13)
                .add("features.11", ReLU.of())
                .add("features.12", MaxPool2d.of(3).withStride(2).withFit(poolFit))         // (256, 6, 6)
                .add("flatten", Flatten.of())                                               // (9216)
                .add("classifier.0", Dropout.of(0.5))
                .add("classifier.1", Dense.of(4096))
                .add("classifier.2", ReLU.of())
                .add("classifier.3", Dropout.of(0.5))
                .add("classifier.4", Dense.of(4096))
                .add("classifier.5", ReLU.of())
                .add("classifier.6", Dense.of(numClasses));
    }
}
