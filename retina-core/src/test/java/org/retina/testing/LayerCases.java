package org.retina.testing;

import java.util.List;
import java.util.function.Supplier;
import org.retina.nn.Conv2d;
import org.retina.nn.Fit;
import org.retina.nn.Layer;
import org.retina.nn.Padding;
import org.retina.tensor.Shape;

/**
 * The one table of layer cases every contract check runs over: a new layer or awkward geometry is one row.
 */
public final class LayerCases {
    private LayerCases() {
    }

    /**
     * A case: a fresh layer, a per-sample input shape, a batch size, the expected parameter count
     * ({@code -1} = not asserted), and whether its training forward is random (dropout).
     */
    public record Case(String name, Supplier<Layer> layer, Shape input, int batch, long params, boolean stochastic) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A geometry that must not build, with a fragment the error must contain. */
    public record Bad(String name, Supplier<Layer> layer, Shape input, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, Supplier<Layer> layer, Shape input, long params) {
        return new Case(name, layer, input, 2, params, false);
    }

    public static List<Case> all() {
        return List.of(
                c("conv 3->4 k3", () -> Conv2d.of(4, 3), Shape.of(3, 5, 5), 4 * 3 * 9 + 4),
                c("conv 2->3 k3 s2 p1 odd", () -> Conv2d.of(3, 3).withStride(2).withPadding(1), Shape.of(2, 7, 5),
                        3 * 2 * 9 + 3),
                c("conv k2x3 s(1,2) p(1,0)", () -> Conv2d.of(2, 2, 3).withStride(1, 2).withPadding(1, 0),
                        Shape.of(2, 4, 7), 2 * 2 * 6 + 2),
                c("conv dilation 2", () -> Conv2d.of(3, 3).withDilation(2).withPadding(2), Shape.of(2, 6, 6),
                        3 * 2 * 9 + 3),
                c("conv groups 2", () -> Conv2d.of(4, 3).withGroups(2).withPadding(1), Shape.of(4, 5, 4),
                        4 * 2 * 9 + 4),
                c("conv depthwise", () -> Conv2d.of(3, 3).withGroups(3), Shape.of(3, 5, 5), 3 * 9 + 3),
                c("conv 1x1", () -> Conv2d.of(5, 1), Shape.of(3, 4, 3), 5 * 3 + 5),
                c("conv 1x1 stride 2", () -> Conv2d.of(2, 1).withStride(2), Shape.of(3, 5, 5), 2 * 3 + 2),
                c("conv no bias", () -> Conv2d.of(3, 3).withBias(false), Shape.of(2, 4, 4), 3 * 2 * 9),
                c("conv same k2", () -> Conv2d.of(2, 2).withPadding(Padding.SAME), Shape.of(2, 5, 5), 2 * 2 * 4 + 2),
                c("conv same s2", () -> Conv2d.of(2, 3).withStride(2).withPadding(Padding.SAME), Shape.of(1, 6, 7),
                        2 * 9 + 2),
                c("conv floor", () -> Conv2d.of(2, 3).withStride(2).withFit(Fit.FLOOR), Shape.of(1, 6, 6),
                        2 * 9 + 2),
                c("conv pad-to-fit", () -> Conv2d.of(2, 3).withStride(2).withFit(Fit.PAD_TO_FIT), Shape.of(1, 6, 6),
                        2 * 9 + 2));
    }

    public static List<Bad> bad() {
        return List.of(
                new Bad("conv 4.5 (seed 003)", () -> Conv2d.of(1, 3).withStride(2), Shape.of(1, 10, 10),
                        "(10 - 3 + 0)/2 + 1 = 4.5 is not a whole number"),
                new Bad("conv kernel larger than input", () -> Conv2d.of(1, 5), Shape.of(1, 3, 3),
                        "the output would be below 1"),
                new Bad("conv channels", () -> Conv2d.of(4, 3).withInChannels(3), Shape.of(2, 5, 5), "expected 3"),
                new Bad("conv groups", () -> Conv2d.of(4, 3).withGroups(2), Shape.of(3, 5, 5),
                        "not divisible by groups 2"),
                new Bad("conv on a vector", () -> Conv2d.of(4, 3), Shape.of(10), "expected (channels, height, width)"));
    }
}
