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

    /**
     * A window's settings, declared once for every windowed layer ({@link Conv2d}, {@link MaxPool2d},
     * {@link AvgPool2d}): kernel, stride, dilation, padding and the {@link Fit} rule. The layers' configs hold one,
     * and their withers, model-file configs and printed forms go through it.
     */
    public record Spec(int kH, int kW, int strideH, int strideW, int dilationH, int dilationW, Padding padding,
                       Fit fit) {
        /** Checks that the padding and the fit are given. */
        public Spec {
            java.util.Objects.requireNonNull(padding, "Window.Spec: padding (Padding.VALID for none)");
            java.util.Objects.requireNonNull(fit, "Window.Spec: fit");
        }

        /** A {@code kH x kW} window moved by {@code strideH, strideW}: no dilation, no padding, {@link Fit#STRICT}. */
        public static Spec of(int kH, int kW, int strideH, int strideW) {
            return new Spec(kH, kW, strideH, strideW, 1, 1, Padding.VALID, Fit.STRICT);
        }

        /** With another stride. */
        public Spec withStride(int h, int w) {
            return new Spec(kH, kW, h, w, dilationH, dilationW, padding, fit);
        }

        /** With another dilation. */
        public Spec withDilation(int h, int w) {
            return new Spec(kH, kW, strideH, strideW, h, w, padding, fit);
        }

        /** With another padding. */
        public Spec withPadding(Padding p) {
            return new Spec(kH, kW, strideH, strideW, dilationH, dilationW, p, fit);
        }

        /** With another rule for windows that do not tile the input. */
        public Spec withFit(Fit f) {
            return new Spec(kH, kW, strideH, strideW, dilationH, dilationW, padding, f);
        }

        /** Throws, naming the layer {@code type}, unless kernel, stride and dilation are at least 1. */
        void check(String type) {
            atLeast(type, "kernel height", kH);
            atLeast(type, "kernel width", kW);
            atLeast(type, "stride height", strideH);
            atLeast(type, "stride width", strideW);
            atLeast(type, "dilation height", dilationH);
            atLeast(type, "dilation width", dilationW);
        }

        /** Throws, naming the layer {@code type}, if the window dilates, or pads when {@code padding} is false. */
        void refuse(String type, boolean paddingAllowed) {
            if (dilationH != 1 || dilationW != 1) {
                throw new IllegalArgumentException(type + ": dilation " + Conv2d.pair(dilationH, dilationW)
                        + ", expected 1 (" + type + " has no dilation)");
            }
            if (!paddingAllowed && !padding.equals(Padding.VALID)) {
                throw new IllegalArgumentException(type + ": padding " + padding
                        + ", expected none (" + type + " has no padding, as in PyTorch)");
            }
        }

        private static void atLeast(String type, String what, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(type + ": " + what + " is " + v + ", expected >= 1");
            }
        }

        /** Puts {@code kernelSize}, {@code stride}, {@code padding}, {@code dilation} and {@code fit} into a config. */
        void write(java.util.Map<String, Object> m) {
            m.put("kernelSize", Configs.pairValue(kH, kW));
            m.put("stride", Configs.pairValue(strideH, strideW));
            m.put("padding", padding.toConfig());
            m.put("dilation", Configs.pairValue(dilationH, dilationW));
            m.put("fit", fit.key());
        }

        /** The inverse of {@link #write}: an absent stride is the kernel when {@code strideIsKernel} (pooling), else 1. */
        static Spec read(Configs r, boolean strideIsKernel) {
            int[] k = r.pair("kernelSize");
            int[] s = r.has("stride") ? r.pair("stride") : strideIsKernel ? k : new int[] {1, 1};
            int[] d = r.pair("dilation", 1);
            return new Spec(k[0], k[1], s[0], s[1], d[0], d[1], r.padding("padding"), r.fit("fit", Fit.STRICT));
        }

        /**
         * {@code , stride=2, padding=1, dilation=2}: stride, padding and dilation where they differ from their defaults
         * (the stride's is the kernel when {@code strideIsKernel}, else 1), as a layer's {@code toString} prints them.
         */
        void describe(StringBuilder sb, boolean strideIsKernel) {
            boolean defaultStride = strideIsKernel ? strideH == kH && strideW == kW : strideH == 1 && strideW == 1;
            if (!defaultStride) {
                sb.append(", stride=").append(Conv2d.pair(strideH, strideW));
            }
            if (!padding.equals(Padding.VALID)) {
                sb.append(", padding=").append(padding);
            }
            if (dilationH != 1 || dilationW != 1) {
                sb.append(", dilation=").append(Conv2d.pair(dilationH, dilationW));
            }
        }

        /** {@code , fit=floor} when the fit is not {@link Fit#STRICT}. */
        void describeFit(StringBuilder sb) {
            if (fit != Fit.STRICT) {
                sb.append(", fit=").append(fit.key());
            }
        }
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
