package org.retina.kernel;

/**
 * 2-D convolution over a batch, forward and backward; weights are {@code [outC, inC/groups, kH, kW]}. The facade
 * picks the algorithm from the geometry: a convolution whose window covers the whole unpadded input is a matrix
 * product over the batch; a depthwise convolution runs plane by plane ({@link ConvDepthwise}); an unpadded 1x1
 * convolution, and any other on planes too small for the other paths' tiles, as matrix products over several
 * samples' columns ({@link ConvColumns}); any other stride-1 convolution as an implicit GEMM on padded samples
 * ({@link ConvImplicit}); anything else as im2col + GEMM per sample ({@link ConvIm2col}). The choice depends on the
 * geometry alone, so a sample's output does not depend on the batch it is in.
 */
public final class ConvKernels {
    private ConvKernels() {
    }

    /** One window covering the whole unpadded input: the convolution is a dense layer over {@code inC*inH*inW}. */
    private static boolean isDense(ConvGeometry g) {
        return g.groups() == 1 && g.outH() == 1 && g.outW() == 1 && g.kH() == g.inH() && g.kW() == g.inW()
                && g.padTop() == 0 && g.padLeft() == 0;
    }

    /** {@code y = conv(x, w) + bias}; {@code bias} may be null. Overwrites {@code y}. */
    public static void forward(float[] x, float[] w, float[] bias, float[] y, int n, ConvGeometry g) {
        forward(x, w, bias, y, n, g, null);
    }

    /**
     * As {@link #forward(float[], float[], float[], float[], int, ConvGeometry)}, then {@code e} (null for none)
     * applied to every output: by the depthwise, column and implicit kernels as they store it, by the others in a
     * pass after.
     */
    public static void forward(float[] x, float[] w, float[] bias, float[] y, int n, ConvGeometry g, Epilogue e) {
        if (isDense(g)) {
            dense(x, w, bias, y, n, g);
        } else if (ConvDepthwise.supports(g)) {
            ConvDepthwise.forward(x, w, bias, y, n, g, e);
            return;
        } else if (ConvColumns.supports(g)) {
            ConvColumns.forward(x, w, bias, y, n, g, e);
            return;
        } else if (ConvImplicit.supports(g)) {
            ConvImplicit.forward(x, w, bias, y, n, g, e);
            return;
        } else {
            ConvIm2col.forward(x, w, bias, y, n, g);
        }
        if (e != null) {
            e.planes(y, n, g.outC(), g.outPlane());
        }
    }

    /** The convolution as the dense layer it is ({@link #isDense}). */
    private static void dense(float[] x, float[] w, float[] bias, float[] y, int n, ConvGeometry g) {
        int k = g.inSize();
        int m = g.outC();
        Gemm.sgemm(false, true, n, m, k, x, 0, k, w, 0, k, y, 0, m, false);
        if (bias != null) {
            for (int s = 0; s < n; s++) {
                for (int o = 0; o < m; o++) {
                    y[s * m + o] += bias[o];
                }
            }
        }
    }

    /** {@code gx = d(sum y*gy)/dx}. Overwrites {@code gx}. */
    public static void backwardData(float[] gy, float[] w, float[] gx, int n, ConvGeometry g) {
        if (isDense(g)) {
            int k = g.inSize();
            int m = g.outC();
            Gemm.sgemm(false, false, n, k, m, gy, 0, m, w, 0, k, gx, 0, k, false);
        } else if (ConvDepthwise.supports(g)) {
            ConvDepthwise.backwardData(gy, w, gx, n, g);
        } else if (ConvColumns.supports(g)) {
            ConvColumns.backwardData(gy, w, gx, n, g);
        } else if (ConvImplicit.supportsBackwardData(g)) {
            ConvImplicit.backwardData(gy, w, gx, n, g);
        } else {
            ConvIm2col.backwardData(gy, w, gx, n, g);
        }
    }

    /**
     * Adds {@code d(sum y*gy)/dw} to {@code gw} and, when {@code gb} is not null, {@code d/dbias} to {@code gb}.
     * Sums over the batch are split among threads in fixed chunks and added in chunk order.
     */
    public static void backwardWeights(float[] x, float[] gy, float[] gw, float[] gb, int n, ConvGeometry g) {
        if (isDense(g)) {
            int k = g.inSize();
            int m = g.outC();
            Gemm.sgemm(true, false, m, k, n, gy, 0, m, x, 0, k, gw, 0, k, true);
            if (gb != null) {
                for (int s = 0; s < n; s++) {
                    for (int o = 0; o < m; o++) {
                        gb[o] += gy[s * m + o];
                    }
                }
            }
        } else if (ConvDepthwise.supports(g)) {
            ConvDepthwise.backwardWeights(x, gy, gw, gb, n, g);
        } else if (ConvColumns.supports(g)) {
            ConvColumns.backwardWeights(x, gy, gw, gb, n, g);
        } else if (ConvImplicit.supports(g)) {
            if (ConvWeightsDot.suits(g)) {
                ConvWeightsDot.backward(x, gy, gw, gb, n, g);
            } else {
                ConvWeights.backward(x, gy, gw, gb, n, g);
            }
        } else {
            ConvIm2col.backwardWeights(x, gy, gw, gb, n, g);
        }
    }
}
