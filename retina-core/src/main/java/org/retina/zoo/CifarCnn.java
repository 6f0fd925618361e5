package org.retina.zoo;

import org.retina.model.Sequential;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Dropout;
import org.retina.nn.Flatten;
import org.retina.nn.MaxPool2d;
import org.retina.nn.Padding;
import org.retina.nn.ReLU;
import org.retina.tensor.Shape;

/**
 * The Keras tutorial's network for CIFAR-10 on {@code 3x32x32}: three blocks of conv 2x2 'same' (16, 32, 64 filters;
 * Keras pads the extra pixel at the bottom and right), ReLU and max pool 2, dropout 0.3, dense 500 + ReLU,
 * dropout 0.4, dense classes: 528,054 parameters for 10 classes, as the text's {@code model.summary()}.
 * The last layer gives logits; Keras's softmax activation lives in the loss here. Keras flattens channels-last,
 * so Keras weights for {@code fc1} need their columns permuted from (H, W, C) to (C, H, W) order.
 */
public final class CifarCnn {
    /** RGB 32x32 images, as CIFAR-10. */
    public static final Shape INPUT = Shape.of(3, 32, 32);

    private CifarCnn() {
    }

    /** The network with {@code numClasses} outputs. */
    public static Blueprint create(int numClasses) {
        Zoo.checkClasses("cifar-cnn", numClasses);
        Sequential model = Sequential.builder()
                .add("conv1", Conv2d.of(16, 2).withPadding(Padding.SAME))   // (16, 32, 32)
                .add("relu1", ReLU.of())
                .add("pool1", MaxPool2d.of(2))                             // (16, 16, 16)
                .add("conv2", Conv2d.of(32, 2).withPadding(Padding.SAME))   // (32, 16, 16)
                .add("relu2", ReLU.of())
                .add("pool2", MaxPool2d.of(2))                             // (32, 8, 8)
                .add("conv3", Conv2d.of(64, 2).withPadding(Padding.SAME))   // (64, 8, 8)
                .add("relu3", ReLU.of())
                .add("pool3", MaxPool2d.of(2))                             // (64, 4, 4)
                .add("dropout1", Dropout.of(0.3))
                .add("flatten", Flatten.of())                              // (1024)
                .add("fc1", Dense.of(500))
                .add("relu4", ReLU.of())
                .add("dropout2", Dropout.of(0.4))
                .add("fc2", Dense.of(numClasses))
                .build();
        return new Blueprint(model, INPUT);
    }
}
