package org.retina.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.nn.AvgPool2d;
import org.retina.nn.Fit;
import org.retina.nn.Layer;
import org.retina.nn.LpPool2d;
import org.retina.nn.MaxPool2d;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;
import org.retina.testing.LayerRunner;

/** Max, average and power-average pooling, forward and backward, against PyTorch's float64 reference. */
class PoolGoldenTest {

    /** Where the layer runs: the CPU engine; a device's subclass runs the same cases there. */
    LayerRunner runner() {
        return LayerRunner.CPU;
    }

    private static final List<String> OPS = List.of("maxpool2d", "avgpool2d", "lppool2d");

    static Stream<Arguments> cases() {
        return OPS.stream().flatMap(op -> Golden.casesOf(op).stream().map(name -> Arguments.of(op, name)));
    }

    @Test
    void everyPoolingOpHasCases() {
        for (String op : OPS) {
            assertFalse(Golden.casesOf(op).isEmpty(), "no golden case for " + op);
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void matchesPyTorch(String op, String name) {
        Golden g = Golden.load(name);
        Tensor x = g.tensor("x");
        Layer pool = layer(g, op);
        Shape out = pool.build(x.shape().dropFirst());
        Tensor[] r = runner().train(pool, x, g.tensor("gy"));
        assertEquals(out.withBatch(x.dim(0)), r[0].shape(), "built shape");
        g.check("y", r[0]);
        g.check("gx", r[1]);
    }

    /** The case's PyTorch settings as a layer: {@code ceil_mode} is {@link Fit#CEIL}, otherwise {@link Fit#FLOOR}. */
    private static Layer layer(Golden g, String op) {
        int[] k = g.intPair("kernel");
        int[] s = g.intPair("stride");
        int[] p = g.intPair("padding");
        Fit fit = (Boolean) g.params().get("ceil_mode") ? Fit.CEIL : Fit.FLOOR;
        return switch (op) {
            case "maxpool2d" -> {
                int[] d = g.intPair("dilation");
                yield MaxPool2d.of(k[0], k[1]).withStride(s[0], s[1]).withPadding(p[0], p[1])
                        .withDilation(d[0], d[1]).withFit(fit);
            }
            case "avgpool2d" -> {
                assertNull(g.params().get("divisor_override"), "divisor_override is not supported");
                yield AvgPool2d.of(k[0], k[1]).withStride(s[0], s[1]).withPadding(p[0], p[1])
                        .withCountIncludePad((Boolean) g.params().get("count_include_pad")).withFit(fit);
            }
            case "lppool2d" -> {
                assertEquals(List.of(0, 0), List.of(p[0], p[1]), "lp_pool2d has no padding");
                yield LpPool2d.of(k[0], k[1]).withNormType(g.number("norm_type")).withStride(s[0], s[1])
                        .withFit(fit);
            }
            default -> throw new IllegalArgumentException("not a pooling case: " + g.name());
        };
    }
}
