package org.retina.nn;

import org.retina.kernel.ConvGeometry;
import org.retina.tensor.Shape;

/** The window rules the pooling layers share on top of {@link Window}. */
final class PoolWindow {
    private PoolWindow() {
    }

    /**
     * The geometry of a pooling window over {@code in} ({@code outC == inC}, one group per channel). A window
     * that reads only padding (a pad-to-fit window beyond the input, or dilation stepping over it) has no
     * meaningful value and is refused.
     */
    static ConvGeometry resolve(String type, Shape in, Window.Spec spec) {
        ConvGeometry g = Window.resolve(type, in, spec);
        int c = in.dim(0);
        g = g.withChannels(c, c, c);
        checkAxis(type, g, "row", g.inH(), g.outH(), g.kH(), g.strideH(), g.dilationH(), g.padTop());
        checkAxis(type, g, "column", g.inW(), g.outW(), g.kW(), g.strideW(), g.dilationW(), g.padLeft());
        return g;
    }

    /** One window over the whole plane, {@code (C, H, W) -> (C, 1, 1)}; a non-image input fails in {@link Window}. */
    static ConvGeometry global(String type, Shape in) {
        int h = in.rank() == 3 ? in.dim(1) : 1, w = in.rank() == 3 ? in.dim(2) : 1;
        return resolve(type, in, new Window.Spec(h, w, 1, 1, 1, 1, Padding.VALID, Fit.STRICT));
    }

    private static void checkAxis(String type, ConvGeometry g, String what, int size, int out, int k, int s, int d,
                                  int lo) {
        for (int o = 0; o < out; o++) {
            int first = o * s - lo;
            boolean reads = false;
            for (int j = 0; j < k && !reads; j++) {
                int at = first + j * d;
                reads = at >= 0 && at < size;
            }
            if (!reads) {
                throw new ShapeException(type, "input " + g.inH() + "x" + g.inW() + ", kernel "
                        + Conv2d.pair(g.kH(), g.kW()) + ", stride " + Conv2d.pair(g.strideH(), g.strideW())
                        + (g.dilationH() != 1 || g.dilationW() != 1
                                ? ", dilation " + Conv2d.pair(g.dilationH(), g.dilationW()) : "")
                        + ", padding " + Padding.of(g.padTop(), g.padBottom(), g.padLeft(), g.padRight())
                        + " -> the window of output " + what + " " + o + " reads only padding");
            }
        }
    }

    /** PyTorch's rule for max and average pooling: explicit padding at most half the kernel on every side. */
    static void checkPadding(String type, Padding p, int kH, int kW) {
        if (!p.isSame() && (p.top() > kH / 2 || p.bottom() > kH / 2 || p.left() > kW / 2 || p.right() > kW / 2)) {
            throw new IllegalArgumentException(type + ": padding " + p + " is more than half the kernel "
                    + Conv2d.pair(kH, kW) + " (at most " + Conv2d.pair(kH / 2, kW / 2) + ", as in PyTorch)");
        }
    }

    /** Checks a size setting of a config. */
    static void atLeast(String type, String what, int v, int min) {
        if (v < min) {
            throw new IllegalArgumentException(type + ": " + what + " is " + v + ", expected >= " + min);
        }
    }

    /** Checks a real-valued setting of a config: finite and above 0. */
    static void positive(String type, String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(type + ": " + what + " is " + v + ", expected a finite number > 0");
        }
    }

    /** A real setting as a summary prints it: {@code 2}, {@code 0.5}. */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
