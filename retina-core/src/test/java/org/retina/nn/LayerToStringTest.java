package org.retina.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.tensor.Shape;

/** Each component prints its inferred sizes and only the settings that differ from the defaults. */
class LayerToStringTest {

    static Stream<Arguments> layers() {
        return Stream.of(
                row(() -> Dense.of(10), null, "Dense(10)"),
                row(() -> Dense.of(10), Shape.of(1568), "Dense(1568, 10)"),
                row(() -> Dense.of(5).withInFeatures(7).withBias(false), null, "Dense(7, 5, bias=false)"),
                row(Flatten::of, Shape.of(3, 4, 5), "Flatten()"),
                row(() -> LocallyConnected2d.of(4, 3), Shape.of(3, 6, 6), "LocallyConnected2d(3, 4, kernel=3)"),
                row(() -> LocallyConnected2d.of(2, 2, 3).withStride(2).withPadding(1).withBias(false)
                        .withFit(Fit.FLOOR), null, "LocallyConnected2d(2, kernel=2x3, stride=2, padding=1, fit=floor,"
                        + " bias=false)"),
                row(ReLU::of, null, "ReLU()"),
                row(LeakyReLU::of, null, "LeakyReLU()"),
                row(() -> LeakyReLU.of(0.2), null, "LeakyReLU(negativeSlope=0.2)"),
                row(Softmax::of, null, "Softmax()"),
                row(BatchNorm2d::of, null, "BatchNorm2d()"),
                row(BatchNorm2d::of, Shape.of(16, 8, 8), "BatchNorm2d(16)"),
                row(() -> BatchNorm2d.of().withEps(1e-3).withMomentum(0.01).withAffine(false), Shape.of(16, 8, 8),
                        "BatchNorm2d(16, eps=0.001, momentum=0.01, affine=false)"),
                row(() -> BatchNorm1d.of().withMomentum(0.2), null, "BatchNorm1d(momentum=0.2)"),
                row(() -> Dropout.of(0.5), null, "Dropout(p=0.5)"));
    }

    private static Arguments row(Supplier<Layer> layer, Shape buildWith, String expected) {
        return Arguments.of(layer, buildWith, expected);
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("layers")
    void printsOnlyNonDefaults(Supplier<Layer> make, Shape buildWith, String expected) {
        Layer layer = make.get();
        if (buildWith != null) {
            layer.build(buildWith);
        }
        assertEquals(expected, layer.toString());
    }
}
