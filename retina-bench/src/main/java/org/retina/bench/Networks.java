package org.retina.bench;

import org.retina.model.Model;
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
import org.retina.zoo.MobileNetV2;
import org.retina.zoo.ResNet;

/** The benchmarked networks, defined exactly as in {@code bench/pytorch/bench.py}. */
public final class Networks {
    private Networks() {
    }

    /** A network with its per-sample input shape and the batch its training figure uses. */
    public record Net(String key, Model model, Shape input, int batch) {
    }

    /** The fashion-cnn network: (conv 5x5 pad 2, BN, ReLU, maxpool 2) x 2 with 16 and 32 filters, dense 10. */
    public static Net seed() {
        Sequential m = Sequential.builder()
                .add("conv1", Conv2d.of(16, 5).withPadding(2)).add("bn1", BatchNorm2d.of()).add("relu1", ReLU.of())
                .add("pool1", MaxPool2d.of(2))
                .add("conv2", Conv2d.of(32, 5).withPadding(2)).add("bn2", BatchNorm2d.of()).add("relu2", ReLU.of())
                .add("pool2", MaxPool2d.of(2))
                .add("flatten", Flatten.of()).add("fc", Dense.of(10)).build();
        return new Net("seed", m, Shape.of(1, 28, 28), Measure.BATCH);
    }

    /** Classic LeNet-5 on 1x32x32: conv 6 k5 tanh, avgpool 2, conv 16 k5 tanh, avgpool 2, conv 120 k5 tanh, 84 tanh, 10. */
    public static Net lenet5() {
        Sequential m = Sequential.builder()
                .add("c1", Conv2d.of(6, 5)).add("c1.tanh", Tanh.of()).add("s2", AvgPool2d.of(2))
                .add("c3", Conv2d.of(16, 5)).add("c3.tanh", Tanh.of()).add("s4", AvgPool2d.of(2))
                .add("c5", Conv2d.of(120, 5)).add("c5.tanh", Tanh.of()).add("flatten", Flatten.of())
                .add("f6", Dense.of(84)).add("f6.tanh", Tanh.of()).add("output", Dense.of(10)).build();
        return new Net("lenet5", m, Shape.of(1, 32, 32), Measure.BATCH);
    }

    /** ResNet-18 with the CIFAR stem (the zoo's {@code resnet18-cifar}) on 3x32x32, 10 classes, batch 128. */
    public static Net resnet18() {
        return new Net("resnet18", ResNet.resnet18Cifar(10).model(), ResNet.CIFAR_INPUT, 128);
    }

    /** torchvision's MobileNet v2 (the zoo's {@code mobilenet_v2}) on 3x64x64, 10 classes, batch 64. */
    public static Net mobilenetV2() {
        return new Net("mobilenetv2", MobileNetV2.create(10, 64).model(), Shape.of(3, 64, 64), Measure.BATCH);
    }

    /** The network of a key: {@code seed}, {@code lenet5}, {@code resnet18} or {@code mobilenetv2}. */
    public static Net named(String key) {
        return switch (key) {
            case "seed" -> seed();
            case "lenet5" -> lenet5();
            case "resnet18" -> resnet18();
            case "mobilenetv2" -> mobilenetV2();
            default -> throw new IllegalArgumentException("no benchmark network '" + key
                    + "' (seed, lenet5, resnet18, mobilenetv2)");
        };
    }
}
