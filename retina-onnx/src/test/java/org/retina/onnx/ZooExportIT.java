package org.retina.onnx;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.zoo.Zoo;

/**
 * The zoo models that need ImageNet-size inputs (AlexNet at 227x227, ZFNet and VGG16 at 224x224; see their
 * javadocs), exported to ONNX and run in ONNX Runtime at batch 1, as {@link ZooExportTest} does for the others.
 */
class ZooExportIT {

    static Stream<String> models() {
        return Stream.of("alexnet", "zfnet", "vgg16");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void runsInOnnxRuntime(String name) {
        ZooExportTest.check(name, Zoo.create(name, 10, 3), 1);
    }
}
