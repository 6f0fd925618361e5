package org.retina.golden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.data.format.Npy;
import org.retina.nn.LocalResponseNorm;
import org.retina.nn.Mode;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;

/**
 * LocalResponseNorm forward and backward against PyTorch's {@code nn.LocalResponseNorm} in float64
 * ({@code src/test/resources/lrn/make_lrn_golden.py} wrote the arrays; the settings are repeated here).
 */
class LrnGoldenTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("alexnet", 5, 1e-4, 0.75, 1.0),
                Arguments.of("strong", 3, 2.0, 0.75, 1.5),
                Arguments.of("even", 4, 0.5, 0.6, 2.0),
                Arguments.of("wide", 7, 1.0, 1.0, 1.0));
    }

    private static Tensor array(String name) {
        try (InputStream in = LrnGoldenTest.class.getResourceAsStream("/lrn/" + name + ".npy")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource lrn/" + name + ".npy");
            }
            return Npy.read(in, name, -1).toTensor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name, int size, double alpha, double beta, double k) {
        LocalResponseNorm lrn = LocalResponseNorm.of(size).withAlpha(alpha).withBeta(beta).withK(k);
        Tensor x = array(name + "_x");
        lrn.build(x.shape().dropFirst());
        // float32 arithmetic against a float64 reference: a few float32 roundings per value
        Golden.assertClose(name + "/y", array(name + "_y"), lrn.forward(x, Mode.TRAIN), 1e-5, 1e-6);
        Golden.assertClose(name + "/gx", array(name + "_gx"), lrn.backward(array(name + "_gy")), 1e-5, 1e-6);
    }
}
