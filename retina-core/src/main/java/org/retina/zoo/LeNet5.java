package org.retina.zoo;

import org.retina.model.Sequential;
import org.retina.nn.AvgPool2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.Tanh;
import org.retina.nn.WeightInit;
import org.retina.tensor.Shape;

/**
 * LeNet-5 as the classic tutorials' table gives it, on {@code 1x32x32}: C1 conv 6 5x5 (28x28), S2 average pool 2x2 stride 2
 * (14x14), C3 conv 16 5x5 (10x10), S4 average pool (5x5), C5 conv 120 5x5 (1x1), F6 dense 84, output dense
 * classes; tanh after every convolution, pooling and F6, as the table lists. 61,706 parameters for 10 classes.
 * Two simplifications of LeCun et al. (1998), as usual today: C3 reads all six S2 maps (the paper connects
 * each C3 map to a subset: 1,516 parameters instead of 2,416), and the pools are plain averages (the paper's
 * sub-sampling units learn a coefficient and a bias per map); the output gives logits, not RBF distances.
 * Weights start with Glorot/Xavier uniform and zero biases, the initialization made for tanh networks (the
 * paper's own was uniform in +-2.4/fanIn, of the same scale).
 */
public final class LeNet5 {
    /** Grey 32x32 images (MNIST digits padded by 2 on each side, as in the paper). */
    public static final Shape INPUT = Shape.of(1, 32, 32);

    private LeNet5() {
    }

    /** The network with {@code numClasses} outputs. */
    public static Blueprint create(int numClasses) {
        Zoo.checkClasses("lenet5", numClasses);
        Sequential model = Sequential.builder()
                .add("c1", Conv2d.of(6, 5).withInit(WeightInit.XAVIER_UNIFORM))           // (6, 28, 28)
                .add("c1.tanh", Tanh.of())
                .add("s2", AvgPool2d.of(2))           // (6, 14, 14)
                .add("s2.tanh", Tanh.of())
                .add("c3", Conv2d.of(16, 5).withInit(WeightInit.XAVIER_UNIFORM))          // (16, 10, 10)
                .add("c3.tanh", Tanh.of())
                .add("s4", AvgPool2d.of(2))           // (16, 5, 5)
                .add("s4.tanh", Tanh.of())
                .add("c5", Conv2d.of(120, 5).withInit(WeightInit.XAVIER_UNIFORM))         // (120, 1, 1)
                .add("c5.tanh", Tanh.of())
                .add("flatten", Flatten.of())         // (120)
                .add("f6", Dense.of(84).withInit(WeightInit.XAVIER_UNIFORM))
                .add("f6.tanh", Tanh.of())
                .add("output", Dense.of(numClasses).withInit(WeightInit.XAVIER_UNIFORM))
                .build();
        return new Blueprint(model, INPUT);
    }
}
