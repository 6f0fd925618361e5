package org.retina.zoo;

import org.retina.model.Sequential;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.tensor.Shape;

/**
 * The Fashion-MNIST network (fashion-cnn) on {@code 1x28x28}: two blocks of conv 5x5 (padding 2, so 28 and 14 are kept),
 * batch norm, ReLU and max pool 2, then one dense layer on the {@code 7x7x32} volume. The node names (conv1, bn1,
 * relu1, pool1, conv2, bn2, relu2, pool2, flatten, fc) are those of the golden files and saved models.
 */
public final class FashionCnn {
    /** Grey 28x28 images, as Fashion-MNIST and MNIST. */
    public static final Shape INPUT = Shape.of(1, 28, 28);

    private FashionCnn() {
    }

    /** The network with {@code numClasses} outputs (logits: the softmax lives in the loss). */
    public static Blueprint create(int numClasses) {
        Zoo.checkClasses("fashion-cnn", numClasses);
        Sequential model = Sequential.builder()
                .add("conv1", Conv2d.of(16, 5).withPadding(2))       // (16, 28, 28)
                .add("bn1", BatchNorm2d.of())
                .add("relu1", ReLU.of())
                .add("pool1", MaxPool2d.of(2))                      // (16, 14, 14)
                .add("conv2", Conv2d.of(32, 5).withPadding(2))       // (32, 14, 14)
                .add("bn2", BatchNorm2d.of())
                .add("relu2", ReLU.of())
                .add("pool2", MaxPool2d.of(2))                      // (32, 7, 7)
                .add("flatten", Flatten.of())                       // (1568)
                .add("fc", Dense.of(numClasses))
                .build();
        return new Blueprint(model, INPUT);
    }
}
