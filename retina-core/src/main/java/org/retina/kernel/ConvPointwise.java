package org.retina.kernel;

/**
 * An unpadded 1x1 stride-1 convolution, forward and backward, as one matrix product over the whole batch: with the
 * batch's planes side by side ({@code [C][n*plane]}), the layer is {@code Y = W X} per group, so {@link Gemm}
 * fills its register tiles along {@code n*plane} columns however small each plane is. Per sample, a 4x4 plane
 * would fill a quarter of a tile; the implicit GEMM's 8-channel tiles run such layers at a fifth of the speed.
 *
 * <p>A batch of small planes is gathered into that layout and the result scattered back: copies of the input and
 * output, small beside the {@code C_in} (or {@code C_out}) multiply-adds each output (or input) costs. Planes of
 * {@link #PER_SAMPLE} pixels or more run sample by sample instead. The weight gradient is always one product over
 * the batch. Every sum is {@link Gemm}'s, so the result does not depend on the number of threads.
 */
final class ConvPointwise {
    /**
     * Planes of at least this many pixels fill the register tiles by themselves: such a batch runs sample by sample,
     * a sample to a thread, with no copies (MobileNet v2 at batch 8 on 224x224 images: 86 -> 69 ms).
     */
    static final int PER_SAMPLE = 4 * GemmKernel.NR;

    private ConvPointwise() {
    }

    /** An unpadded 1x1 stride-1 convolution: each output pixel reads only the same input pixel. */
    static boolean supports(ConvGeometry g) {
        return g.kH() == 1 && g.kW() == 1 && g.strideH() == 1 && g.strideW() == 1
                && g.padTop() == 0 && g.padLeft() == 0 && g.outH() == g.inH() && g.outW() == g.inW();
    }

    /** {@code y = conv(x, w) + bias}; {@code bias} may be null. Overwrites {@code y}. */
    static void forward(float[] x, float[] w, float[] bias, float[] y, int n, ConvGeometry g) {
        int plane = g.outPlane();
        if (n == 1 || plane >= PER_SAMPLE) {
            bySample(n, s -> forward(x, s * g.inSize(), w, bias, y, s * g.outSize(), plane, g));
            return;
        }
        int cols = n * plane;
        float[] c = Workspace.get(Workspace.PAD2, g.outC() * cols);
        forward(side(x, n, g.inC(), plane, Workspace.COL), 0, w, bias, c, 0, cols, g);
        apart(c, n, g.outC(), plane, y);
    }

    /** {@code Y = W X + bias} per group, X at {@code x[xOff ..]} as {@code [inC][cols]}, Y likewise. */
    private static void forward(float[] x, int xOff, float[] w, float[] bias, float[] y, int yOff, int cols,
                                ConvGeometry g) {
        int k = g.groupInC();
        int m = g.groupOutC();
        for (int grp = 0; grp < g.groups(); grp++) {
            Gemm.sgemm(false, false, m, cols, k, w, grp * m * k, k, x, xOff + grp * k * cols, cols, y,
                    yOff + grp * m * cols, cols, false);
        }
        if (bias != null) {
            for (int o = 0; o < g.outC(); o++) {
                float bo = bias[o];
                for (int i = yOff + o * cols, end = i + cols; i < end; i++) {
                    y[i] += bo;
                }
            }
        }
    }

    /** {@code gx = d(sum y*gy)/dx}. Overwrites {@code gx}. */
    static void backwardData(float[] gy, float[] w, float[] gx, int n, ConvGeometry g) {
        int plane = g.outPlane();
        if (n == 1 || plane >= PER_SAMPLE) {
            bySample(n, s -> backwardData(gy, s * g.outSize(), w, gx, s * g.inSize(), plane, g));
            return;
        }
        int cols = n * plane;
        float[] c = Workspace.get(Workspace.PAD2, g.inC() * cols);
        backwardData(side(gy, n, g.outC(), plane, Workspace.COL), 0, w, c, 0, cols, g);
        apart(c, n, g.inC(), plane, gx);
    }

    /** {@code GX = W^T GY} per group, both as {@code [channels][cols]} at their offsets. */
    private static void backwardData(float[] gy, int gyOff, float[] w, float[] gx, int gxOff, int cols,
                                     ConvGeometry g) {
        int k = g.groupInC();
        int m = g.groupOutC();
        for (int grp = 0; grp < g.groups(); grp++) {
            Gemm.sgemm(true, false, k, cols, m, w, grp * m * k, k, gy, gyOff + grp * m * cols, cols, gx,
                    gxOff + grp * k * cols, cols, false);
        }
    }

    /** Runs {@code body} for every sample: on this thread for one (its products split among the threads). */
    private static void bySample(int n, java.util.function.IntConsumer body) {
        if (n == 1) {
            body.accept(0);
            return;
        }
        Engine.current().parallelFor(n, (chunk, from, to) -> {
            for (int s = from; s < to; s++) {
                body.accept(s);
            }
        });
    }

    /**
     * Adds {@code d(sum y*gy)/dw} to {@code gw} and, when {@code gb} is not null, {@code d/dbias} to {@code gb} (per
     * sample a plane's sum, added in sample order).
     */
    static void backwardWeights(float[] x, float[] gy, float[] gw, float[] gb, int n, ConvGeometry g) {
        int plane = g.outPlane();
        int cols = n * plane;
        int k = g.groupInC();
        int m = g.groupOutC();
        float[] a = side(gy, n, g.outC(), plane, Workspace.COL);
        float[] b = side(x, n, g.inC(), plane, Workspace.PAD2);
        for (int grp = 0; grp < g.groups(); grp++) {
            Gemm.sgemm(false, true, m, k, cols, a, grp * m * cols, cols, b, grp * k * cols, cols, gw, grp * m * k, k,
                    true);
        }
        if (gb != null) {
            for (int o = 0; o < g.outC(); o++) {
                for (int s = 0; s < n; s++) {
                    float sum = 0f;
                    for (int i = o * cols + s * plane, end = i + plane; i < end; i++) {
                        sum += a[i];
                    }
                    gb[o] += sum;
                }
            }
        }
    }

    /**
     * The batch {@code t} ({@code [n][channels][plane]}) with its planes side by side, {@code [channels][n*plane]}:
     * {@code t} itself for one sample, else a copy in this thread's workspace {@code slot}.
     */
    private static float[] side(float[] t, int n, int channels, int plane, int slot) {
        if (n == 1) {
            return t;
        }
        int cols = n * plane;
        float[] d = Workspace.get(slot, channels * cols);
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < channels; ch++) {
                System.arraycopy(t, (s * channels + ch) * plane, d, ch * cols + s * plane, plane);
            }
        }
        return d;
    }

    /** The inverse of {@link #side}: {@code [channels][n*plane]} back into {@code t}, {@code [n][channels][plane]}. */
    private static void apart(float[] d, int n, int channels, int plane, float[] t) {
        int cols = n * plane;
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < channels; ch++) {
                System.arraycopy(d, ch * cols + s * plane, t, (s * channels + ch) * plane, plane);
            }
        }
    }
}
