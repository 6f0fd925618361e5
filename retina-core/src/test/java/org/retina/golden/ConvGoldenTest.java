package org.retina.golden;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.nn.Conv2d;
import org.retina.nn.Fit;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;
import org.retina.testing.LayerRunner;

/** Conv2d forward and backward against PyTorch's float64 reference. */
class ConvGoldenTest {

    /** Where the layer runs: the CPU engine; a device's subclass runs the same cases there. */
    LayerRunner runner() {
        return LayerRunner.CPU;
    }

    static Stream<String> cases() {
        return Golden.casesOf("conv2d").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name) {
        Golden g = Golden.load(name);
        int[] k = g.intPair("kernel");
        int[] s = g.intPair("stride");
        int[] p = g.intPair("padding");
        int[] d = g.intPair("dilation");
        boolean bias = (Boolean) g.params().get("bias");
        Conv2d conv = Conv2d.of(((Number) g.params().get("out_channels")).intValue(), k[0], k[1])
                .withStride(s[0], s[1]).withPadding(p[0], p[1]).withDilation(d[0], d[1])
                .withGroups(((Number) g.params().get("groups")).intValue()).withBias(bias).withFit(Fit.FLOOR);
        Tensor x = g.tensor("x");
        conv.build(x.shape().dropFirst());
        conv.weight().value().copyFrom(g.tensor("w"));
        if (bias) {
            conv.bias().value().copyFrom(g.tensor("b"));
        }
        Tensor[] r = runner().train(conv, x, g.tensor("gy"));
        g.check("y", r[0]);
        g.check("gx", r[1]);
        g.check("gw", conv.weight().grad());
        if (bias) {
            g.check("gb", conv.bias().grad());
        }
    }
}
