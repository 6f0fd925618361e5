package org.retina.onnx;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.model.Model;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;
import org.retina.zoo.GoogLeNet;
import org.retina.zoo.DenseNet121;
import org.retina.zoo.EfficientNetB0;
import org.retina.zoo.MobileNetV2;
import org.retina.zoo.ResNet;
import org.retina.zoo.Zoo;

/**
 * The zoo's small models and the ImageNet architectures at small inputs (GoogLeNet and the ResNets at 64x64),
 * exported to ONNX: ONNX Runtime gives Retina's outputs within 1e-5 relative to the output's scale, and the
 * exported file imported again gives them too. AlexNet, ZFNet and VGG16 need ImageNet-size inputs: see
 * {@code ZooExportIT}.
 */
class ZooExportTest {

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("fashion-cnn", Zoo.create("fashion-cnn", 10, 3)),
                Arguments.of("cifar-cnn", Zoo.create("cifar-cnn", 10, 3)),
                Arguments.of("lenet5", Zoo.create("lenet5", 10, 3)),
                Arguments.of("googlenet 64x64", GoogLeNet.create(10, 64).build(3)),
                Arguments.of("resnet18 64x64", ResNet.resnet18(10, 64).build(3)),
                Arguments.of("resnet34 64x64", ResNet.resnet34(10, 64).build(3)),
                Arguments.of("resnet50 64x64", ResNet.resnet50(10, 64).build(3)),
                Arguments.of("resnext50_32x4d 64x64", ResNet.resnext50(10, 64).build(3)),
                Arguments.of("mobilenet_v2 64x64", MobileNetV2.create(10, 64).build(3)),
                Arguments.of("efficientnet_b0 64x64", EfficientNetB0.create(10, 64).build(3)),
                Arguments.of("densenet121 64x64", DenseNet121.create(10, 64).build(3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void runsInOnnxRuntime(String name, Model model) {
        check(name, model, 2);
    }

    /** Random running statistics too, so batch norm's eval arithmetic is exercised, then the check. */
    static void check(String name, Model model, int batch) {
        Rng rng = new Rng(21);
        model.namedBuffers().forEach((k, p) -> {
            Tensor r = GradientCheck.random(p.value(), rng);
            for (int i = 0; i < r.size(); i++) {
                r.data()[i] = k.endsWith("running_var") ? 0.5f + Math.abs(r.data()[i]) : 0.1f * r.data()[i];
            }
            p.value().copyFrom(r);
        });
        Shape in = model.inputShape().withBatch(batch);
        LayerExportTest.check(name, model, GradientCheck.random(Tensor.zeros(in), rng), true);
        Map<String, String> meta = Map.of("classNames", "[\"a\", \"b\"]");
        Imported back = Onnx.read(Onnx.toBytes(model, meta), name);
        org.junit.jupiter.api.Assertions.assertEquals(meta, back.metadata());
        org.junit.jupiter.api.Assertions.assertEquals(model.namedParameters().keySet(),
                back.model().namedParameters().keySet(), "parameter paths survive the round trip");
    }
}
