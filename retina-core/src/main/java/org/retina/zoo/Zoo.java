package org.retina.zoo;

import java.util.List;
import java.util.function.IntFunction;
import org.retina.model.Model;
import org.retina.tensor.Shape;

/** The registry of the zoo: each architecture by name, with a one-line description, built on request. */
public final class Zoo {

    /** One architecture: its name, what it is, the classes of its dataset, and its factory. */
    public record Entry(String name, String description, int defaultClasses, IntFunction<Blueprint> factory) {
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry("fashion-cnn", "the Fashion-MNIST net: 2 x (conv 5x5, batch norm, ReLU, max pool), dense;"
                    + " 1x28x28", 10, FashionCnn::create),
            new Entry("cifar-cnn", "the Keras tutorial's CIFAR-10 net: 3 x (conv 2x2 same, ReLU, max pool), dense 500;"
                    + " 3x32x32", 10, CifarCnn::create),
            new Entry("lenet5", "LeNet-5: tanh, conv 5x5 and average pooling, C5, F6; 1x32x32", 10, LeNet5::create),
            new Entry("alexnet", "AlexNet as the tutorials' table: one tower, 62.4M parameters; 3x227x227", 1000,
                    AlexNet::create),
            new Entry("zfnet", "ZFNet: AlexNet with a 7x7 stride-2 first conv, 6x6x256 features; 3x224x224", 1000,
                    ZfNet::create),
            new Entry("vgg16", "VGG16 (torchvision names): 13 conv 3x3, dense 4096, 4096; 3x224x224", 1000,
                    Vgg16::create),
            new Entry("googlenet", "GoogLeNet (torchvision, no auxiliary heads): Inception blocks with batch norm;"
                    + " 3x224x224", 1000, GoogLeNet::create),
            new Entry("resnet18", "ResNet-18 (torchvision): basic residual blocks [2, 2, 2, 2]; 3x224x224", 1000,
                    ResNet::resnet18),
            new Entry("resnet18-cifar", "ResNet-18 with a CIFAR stem (conv 3x3 stride 1, no max pool); 3x32x32", 10,
                    ResNet::resnet18Cifar),
            new Entry("resnet34", "ResNet-34 (torchvision): basic residual blocks [3, 4, 6, 3]; 3x224x224", 1000,
                    ResNet::resnet34),
            new Entry("resnet50", "ResNet-50 (torchvision v1.5): bottleneck blocks [3, 4, 6, 3]; 3x224x224", 1000,
                    ResNet::resnet50),
            new Entry("resnext50_32x4d", "ResNeXt-50 32x4d (torchvision): bottlenecks with 32-group 3x3 convolutions;"
                    + " 3x224x224", 1000, ResNet::resnext50),
            new Entry("mobilenet_v2", "MobileNet v2 (torchvision): 17 inverted residual blocks, ReLU6; 3x224x224", 1000,
                    MobileNetV2::create),
            new Entry("efficientnet_b0", "EfficientNet-B0 (torchvision): 16 MBConv blocks with squeeze-and-excitation,"
                    + " SiLU; 3x224x224", 1000, EfficientNetB0::create),
            new Entry("densenet121", "DenseNet-121 (torchvision): dense blocks [6, 12, 24, 16], growth 32;"
                    + " 3x224x224", 1000, DenseNet121::create));

    private Zoo() {
    }

    /** The names, in the order of the table above (small networks first). */
    public static List<String> names() {
        return ENTRIES.stream().map(Entry::name).toList();
    }

    /** The entry named {@code name}; an unknown name is an error that lists the known ones. */
    public static Entry entry(String name) {
        for (Entry e : ENTRIES) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("zoo: no model named '" + name + "'; known models: "
                + String.join(", ", names()));
    }

    /** The unbuilt model with {@code numClasses} outputs and its default input shape. */
    public static Blueprint blueprint(String name, int numClasses) {
        return entry(name).factory().apply(numClasses);
    }

    /** The model built for its default input shape with {@link Model#DEFAULT_SEED}. */
    public static Model create(String name, int numClasses) {
        return blueprint(name, numClasses).build();
    }

    /** The model built for its default input shape, its weights initialized from {@code seed}. */
    public static Model create(String name, int numClasses, long seed) {
        return blueprint(name, numClasses).build(seed);
    }

    /** The per-sample input shape the model is made for: {@code (3, 224, 224)}. */
    public static Shape defaultInput(String name) {
        return blueprint(name, entry(name).defaultClasses()).input();
    }

    /** The one-line description of the architecture {@code name}: what it is and its input shape. */
    public static String description(String name) {
        return entry(name).description();
    }

    /** Checks a factory's class count. */
    static void checkClasses(String model, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException(model + ": numClasses is " + numClasses + ", expected >= 1");
        }
    }
}
