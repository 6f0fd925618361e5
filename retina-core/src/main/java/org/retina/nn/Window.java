package org.retina.nn;

import org.retina.kernel.ConvGeometry;
import org.retina.tensor.Shape;

/**
 * Resolves a sliding window over a {@code (C, H, W)} input into a {@link ConvGeometry}, per axis
 * {@code out = (W - F + 2P)/S + 1} with {@code F = dilation*(k-1) + 1}, applying the {@link Fit} rule and
 * naming the layer, the input, the parameters and the formula's value when it does not fit.
 */
public final class Window {
    private Window() {
    }

    /** The window's settings, as the layer's config holds them. */
    public record Spec(int kH, int kW, int strideH, int strideW, int dilationH, int dilationW, Padding padding,
                       Fit fit) {
    }

    /**
     * The geometry of {@code spec} over {@code in}; the caller sets channels and groups with
     * {@link ConvGeometry#withChannels}. {@code allowPartial} is true for pooling in CEIL mode.
     */
    public static ConvGeometry resolve(String type, Shape in, Spec spec) {
        if (in.rank() != 3) {
            throw new ShapeException(type, "input " + in + ", expected (channels, height, width)");
        }
        int c = in.dim(0), h = in.dim(1), w = in.dim(2);
        Axis y = axis(type, in, "height", h, spec.kH, spec.strideH, spec.dilationH,
                spec.padding.top(), spec.padding.bottom(), spec.padding.isSame(), spec.fit);
        Axis x = axis(type, in, "width", w, spec.kW, spec.strideW, spec.dilationW,
                spec.padding.left(), spec.padding.right(), spec.padding.isSame(), spec.fit);
        return new ConvGeometry(c, h, w, c, y.out, x.out, spec.kH, spec.kW, spec.strideH, spec.strideW,
                y.lo, y.hi, x.lo, x.hi, spec.dilationH, spec.dilationW, 1);
    }

    /** Input pixels per sample (over all channels) that no window reads, for the summary's floor-mode mark. */
    public static int droppedPixels(ConvGeometry g) {
        int rows = uncovered(g.inH(), g.outH(), g.kH(), g.strideH(), g.dilationH(), g.padTop());
        int cols = uncovered(g.inW(), g.outW(), g.kW(), g.strideW(), g.dilationW(), g.padLeft());
        return g.inC() * (rows * g.inW() + cols * g.inH() - rows * cols);
    }

    private static int uncovered(int in, int out, int k, int s, int d, int lo) {
        int lastRead = (out - 1) * s + d * (k - 1) - lo;
        return Math.max(0, in - 1 - lastRead);
    }

    private record Axis(int out, int lo, int hi) {
    }

    private static Axis axis(String type, Shape in, String axisName, int size, int k, int s, int d, int lo, int hi,
                             boolean same, Fit fit) {
        int eff = d * (k - 1) + 1;
        if (same) {
            int out = (size + s - 1) / s;
            int total = Math.max((out - 1) * s + eff - size, 0);
            return new Axis(out, total / 2, total - total / 2);
        }
        int span = size + lo + hi - eff;
        String formula = "(" + size + " - " + eff + " + " + (lo + hi) + ")/" + s + " + 1";
        String where = "input " + in.dim(1) + "x" + in.dim(2) + ", kernel " + k
                + (d != 1 ? " (dilation " + d + ", spans " + eff + ")" : "") + ", stride " + s + ", padding "
                + (lo == hi ? Integer.toString(lo) : lo + "+" + hi) + " -> ";
        if (span < 0) {
            throw new ShapeException(type, where + formula + " = " + fraction(span, s)
                    + ": the " + axisName + " is smaller than the kernel, the output would be below 1");
        }
        int rem = span % s;
        if (rem == 0) {
            return new Axis(span / s + 1, lo, hi);
        }
        return switch (fit) {
            case STRICT -> throw new ShapeException(type, where + formula + " = " + fraction(span, s)
                    + " is not a whole number (choose another stride or padding, or fit pad-to-fit or floor)");
            case FLOOR -> new Axis(span / s + 1, lo, hi);
            case PAD_TO_FIT -> new Axis(span / s + 2, lo, hi + (s - rem));
            case CEIL -> {
                int out = span / s + 2;
                // PyTorch's rule: the last window must start inside the input or the left padding
                if ((out - 1) * s >= size + lo) {
                    out--;
                }
                yield new Axis(out, lo, hi);
            }
        };
    }

    private static String fraction(int span, int s) {
        double v = (double) span / s + 1;
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
