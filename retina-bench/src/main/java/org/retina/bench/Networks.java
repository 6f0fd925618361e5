package org.retina.bench;

import org.retina.model.Sequential;
import org.retina.nn.AvgPool2d;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.nn.Tanh;
import org.retina.tensor.Shape;

/** The benchmarked networks, defined exactly as in {@code bench/pytorch/bench.py}. */
public final class Networks {
    private Networks() {
    }

    /** A network with its per-sample input shape. */
    public record Net(String key, Sequential model, Shape input) {
    }

    /** The fashion-cnn network: (conv 5x5 pad 2, BN, ReLU, maxpool 2) x 2 with 16 and 32 filters, dense 10. */
    public static Net seed() {
        Sequential m = Sequential.builder()
                .add("conv1", Conv2d.of(16, 5).withPadding(2)).add("bn1", BatchNorm2d.of()).add("relu1", ReLU.of())
                .add("pool1", MaxPool2d.of(2))
                .add("conv2", Conv2d.of(32, 5).withPadding(2)).add("bn2", BatchNorm2d.of()).add("relu2", ReLU.of())
                .add("pool2", MaxPool2d.of(2))
                .add("flatten", Flatten.of()).add("fc", Dense.of(10)).build();
        return new Net("seed", m, Shape.of(1, 28, 28));
    }

    /** Classic LeNet-5 on 1x32x32: conv 6 k5 tanh, avgpool 2, conv 16 k5 tanh, avgpool 2, conv 120 k5 tanh, 84 tanh, 10. */
    public static Net lenet5() {
        Sequential m = Sequential.builder()
                .add("c1", Conv2d.of(6, 5)).add("c1.tanh", Tanh.of()).add("s2", AvgPool2d.of(2))
                .add("c3", Conv2d.of(16, 5)).add("c3.tanh", Tanh.of()).add("s4", AvgPool2d.of(2))
                .add("c5", Conv2d.of(120, 5)).add("c5.tanh", Tanh.of()).add("flatten", Flatten.of())
                .add("f6", Dense.of(84)).add("f6.tanh", Tanh.of()).add("output", Dense.of(10)).build();
        return new Net("lenet5", m, Shape.of(1, 32, 32));
    }

    /** The network of a key: {@code seed} or {@code lenet5}. */
    public static Net named(String key) {
        return switch (key) {
            case "seed" -> seed();
            case "lenet5" -> lenet5();
            default -> throw new IllegalArgumentException("no benchmark network '" + key + "' (seed, lenet5)");
        };
    }
}
