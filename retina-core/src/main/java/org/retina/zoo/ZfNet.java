package org.retina.zoo;

import org.retina.model.Sequential;
import org.retina.nn.Conv2d;
import org.retina.nn.Fit;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.tensor.Shape;

/**
 * ZFNet (Zeiler and Fergus, 2013), the ILSVRC 2013 winner, on {@code 3x224x224}: AlexNet with a 7x7 stride-2 first
 * convolution and a stride-2 second one. The paper's sizes, 110, 55, 26, 13, 13, 13 and 6, come out with Caffe's
 * rules, which this model sets: convolutions floor ({@code (224 - 7 + 2)/2 + 1 = 110.5 -> 110} with padding 1;
 * the last row and column of padding are never read) and max pools take ceil, PyTorch's
 * {@code ceil_mode} ({@code (110 - 3)/2 + 1 = 54.5 -> 55}, {@code (26 - 3)/2 + 1 = 12.5 -> 13}); conv 2 needs no
 * padding ({@code (55 - 5)/2 + 1 = 26}), and the last pool fits exactly ({@code (13 - 3)/2 + 1 = 6}). The
 * dense layers read 6x6x256 as AlexNet's do; 62,357,608 parameters for 1000 classes. The paper's local contrast
 * normalization after the first two pools is left out; it has no parameters, so the count is unchanged.
 * Node names follow the AlexNet layout ({@code features.0}, ..., {@code classifier.6}).
 */
public final class ZfNet {
    /** RGB 224x224 images, as in the paper. */
    public static final Shape INPUT = Shape.of(3, 224, 224);

    private ZfNet() {
    }

    /** The network with {@code numClasses} outputs. */
    public static Blueprint create(int numClasses) {
        Zoo.checkClasses("zfnet", numClasses);
        Sequential.Builder b = Sequential.builder()
                .add("features.0", Conv2d.of(96, 7).withStride(2).withPadding(1).withFit(Fit.FLOOR))  // (96, 110, 110)
                .add("features.1", ReLU.of())
                .add("features.2", MaxPool2d.of(3).withStride(2).withFit(Fit.CEIL))                    // (96, 55, 55)
                .add("features.3", Conv2d.of(256, 5).withStride(2))                                    // (256, 26, 26)
                .add("features.4", ReLU.of())
                .add("features.5", MaxPool2d.of(3).withStride(2).withFit(Fit.CEIL));                   // (256, 13, 13)
        Sequential model = AlexNet.top(b, Fit.CEIL, numClasses).build();
        return new Blueprint(model, INPUT);
    }
}
