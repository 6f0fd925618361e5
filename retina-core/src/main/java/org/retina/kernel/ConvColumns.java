package org.retina.kernel;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Convolution as matrix products over the columns of several samples side by side: the batch's column matrices
 * ({@link Im2col}) laid next to each other as {@code [groups * inC/groups*kH*kW][samples * plane]}, so that
 * {@link Gemm} fills its register tiles along {@code samples * plane} columns however small each plane is. Per
 * sample, a 4x4 plane would fill a quarter of a tile, and the implicit GEMM's 8-channel by 3-vector tiles run a 7x7
 * plane at a third of their speed. The unfolding costs {@code kH*kW} copies of the input, small beside the
 * {@code outC} multiply-adds each of those floats takes part in.
 *
 * <p>Which layers come here is {@link #supports}. The batch runs in chunks of about {@link #CHUNK_COLUMNS} columns,
 * so the scratch matrices stay small. A 1x1 layer whose planes fill the tiles by themselves runs sample by sample on
 * its own arrays, with no copies. The products always go through {@link Gemm#packed}, whose sums do not depend on
 * the columns beside them, and the other sums run in sample order: a sample's output is the same bits alone or in
 * any batch, and on any number of threads.
 */
final class ConvColumns {
    /**
     * Planes of at least this many pixels fill the register tiles by themselves: a 1x1 layer's samples then run one
     * by one, a sample to a thread (MobileNet v2 at batch 8 on 224x224 images: 86 -> 69 ms).
     */
    static final int PER_SAMPLE = 4 * GemmKernel.NR;
    /**
     * The implicit GEMM keeps a stride-1 layer whose tiles use at least this share of their lanes: 56x56 to 14x14
     * planes (82% and more) stay there, 7x7 (51%) and CIFAR's 8x8 (67%) and 4x4 (33%) come here.
     */
    static final double LANE_USE = 0.75;
    /**
     * Fewer output channels (per group) than this keep a k x k layer on the other paths: a narrow layer's products are
     * too small to repay the unfolding and the hand-offs between threads (LeNet-5's 16-channel layer trained at half
     * speed here), while ResNet's 256- and 512-channel stages run half again as fast.
     */
    static final int MIN_CHANNELS = 64;
    /** Columns of one chunk of samples: whole register tiles for both threads, and scratch of a few megabytes. */
    static final int CHUNK_COLUMNS = 1024;

    private ConvColumns() {
    }

    /** An unpadded 1x1 stride-1 convolution: each output pixel reads only the same input pixel. */
    static boolean pointwise(ConvGeometry g) {
        return g.kH() == 1 && g.kW() == 1 && g.strideH() == 1 && g.strideW() == 1
                && g.padTop() == 0 && g.padLeft() == 0 && g.outH() == g.inH() && g.outW() == g.inW();
    }

    /**
     * Whether this path computes the convolution: a 1x1 one; one of at least {@link #MIN_CHANNELS} output channels
     * per group that is either stride-1 with implicit-GEMM tiles using less than {@link #LANE_USE} of their lanes,
     * or strided with planes under {@link #PER_SAMPLE} pixels; never a depthwise one. The choice depends on the
     * geometry alone, never on the batch size, so a sample's result is the same alone or in any batch.
     */
    static boolean supports(ConvGeometry g) {
        if (ConvDepthwise.supports(g)) {
            return false;
        }
        if (pointwise(g)) {
            return true;
        }
        if (g.groupOutC() < MIN_CHANNELS) {
            return false;
        }
        return ConvImplicit.supports(g) ? ConvImplicit.laneUse(g) < LANE_USE : g.outPlane() < PER_SAMPLE;
    }

    private static boolean bySample(ConvGeometry g, int n) {
        return pointwise(g) && (n == 1 || g.outPlane() >= PER_SAMPLE);
    }

    /** Samples per chunk: about {@link #CHUNK_COLUMNS} columns. */
    private static int chunk(int n, int plane) {
        return Math.max(1, Math.min(n, (CHUNK_COLUMNS + plane - 1) / plane));
    }

    /**
     * {@code y = conv(x, w) + bias}, then {@code e} (each may be null) applied to every tile of the product as it is
     * done. Overwrites {@code y}.
     */
    static void forward(float[] x, float[] w, float[] bias, float[] y, int n, ConvGeometry g, Epilogue e) {
        int plane = g.outPlane();
        if (bySample(g, n)) {
            bySample(n, s -> forward(x, s * g.inSize(), w, bias, y, s * g.outSize(), plane, g, e));
            return;
        }
        int per = chunk(n, plane);
        for (int s0 = 0; s0 < n; s0 += per) {
            int m = Math.min(per, n - s0);
            int cols = m * plane;
            float[] col = columns(x, s0, m, g);
            float[] c = Workspace.get(Workspace.PAD2, g.outC() * cols);
            forward(col, 0, w, bias, c, 0, cols, g, e);
            apart(c, s0, m, g.outC(), plane, y);
        }
    }

    /**
     * {@code Y = W X + bias}, then {@code e}, per group, X at {@code x[xOff ..]} as {@code [rows][cols]}, Y likewise:
     * the bias and {@code e} go into each tile of the product while it is in cache.
     */
    private static void forward(float[] x, int xOff, float[] w, float[] bias, float[] y, int yOff, int cols,
                                ConvGeometry g, Epilogue e) {
        int k = g.colRows();
        int m = g.groupOutC();
        for (int grp = 0; grp < g.groups(); grp++) {
            int first = grp * m;
            Gemm.Rows finish = bias == null && e == null ? null : (row, c, off, len) -> {
                int o = first + row;
                if (bias != null) {
                    float bo = bias[o];
                    for (int i = off, end = off + len; i < end; i++) {
                        c[i] += bo;
                    }
                }
                if (e != null) {
                    e.apply(c, off, len, o);
                }
            };
            Gemm.packed(false, false, m, cols, k, w, grp * m * k, k, x, xOff + grp * k * cols, cols, y,
                    yOff + grp * m * cols, cols, false, finish);
        }
    }

    /** {@code gx = d(sum y*gy)/dx}. Overwrites {@code gx}. */
    static void backwardData(float[] gy, float[] w, float[] gx, int n, ConvGeometry g) {
        int plane = g.outPlane();
        if (bySample(g, n)) {
            bySample(n, s -> backwardData(gy, s * g.outSize(), w, gx, s * g.inSize(), plane, g));
            return;
        }
        int per = chunk(n, plane);
        int rows = g.colRows();
        for (int s0 = 0; s0 < n; s0 += per) {
            int m = Math.min(per, n - s0);
            int cols = m * plane;
            float[] b = side(gy, s0, m, g.outC(), plane, Workspace.COL);
            float[] c = Workspace.get(Workspace.PAD2, g.groups() * rows * cols);
            backwardData(b, 0, w, c, 0, cols, g);
            if (pointwise(g)) {
                apart(c, s0, m, g.inC(), plane, gx);
                continue;
            }
            int first = s0;
            Engine.current().parallelFor(m, (chunk, from, to) -> {
                for (int s = from; s < to; s++) {
                    int xOff = (first + s) * g.inSize();
                    Arrays.fill(gx, xOff, xOff + g.inSize(), 0f);
                    for (int grp = 0; grp < g.groups(); grp++) {
                        Im2col.col2im(c, grp * rows * cols + s * plane, cols, g, grp * g.groupInC(), gx, xOff);
                    }
                }
            });
        }
    }

    /** {@code GCOL = W^T GY} per group, GY as {@code [outC][cols]} and GCOL as {@code [rows][cols]}. */
    private static void backwardData(float[] gy, int gyOff, float[] w, float[] gcol, int gcolOff, int cols,
                                     ConvGeometry g) {
        int k = g.colRows();
        int m = g.groupOutC();
        for (int grp = 0; grp < g.groups(); grp++) {
            Gemm.packed(true, false, k, cols, m, w, grp * m * k, k, gy, gyOff + grp * m * cols, cols, gcol,
                    gcolOff + grp * k * cols, cols, false);
        }
    }

    /**
     * Adds {@code d(sum y*gy)/dw} to {@code gw} and, when {@code gb} is not null, {@code d/dbias} to {@code gb} (per
     * sample a plane's sum, added in sample order).
     */
    static void backwardWeights(float[] x, float[] gy, float[] gw, float[] gb, int n, ConvGeometry g) {
        int plane = g.outPlane();
        int per = chunk(n, plane);
        int k = g.colRows();
        int m = g.groupOutC();
        for (int s0 = 0; s0 < n; s0 += per) {
            int count = Math.min(per, n - s0);
            int cols = count * plane;
            float[] b = columns(x, s0, count, g);
            float[] a = side(gy, s0, count, g.outC(), plane, Workspace.PAD2);
            for (int grp = 0; grp < g.groups(); grp++) {
                Gemm.packed(false, true, m, k, cols, a, grp * m * cols, cols, b, grp * k * cols, cols, gw,
                        grp * m * k, k, true);
            }
            if (gb != null) {
                for (int o = 0; o < g.outC(); o++) {
                    for (int s = 0; s < count; s++) {
                        float sum = 0f;
                        for (int i = o * cols + s * plane, end = i + plane; i < end; i++) {
                            sum += a[i];
                        }
                        gb[o] += sum;
                    }
                }
            }
        }
    }

    /** Runs {@code body} for every sample: on this thread for one (its products split among the threads). */
    private static void bySample(int n, IntConsumer body) {
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

    /** The column matrices of samples {@code [s0, s0 + m)} side by side, in this thread's {@code COL} workspace. */
    private static float[] columns(float[] x, int s0, int m, ConvGeometry g) {
        int plane = g.outPlane();
        int cols = m * plane;
        int rows = g.colRows();
        float[] col = Workspace.get(Workspace.COL, g.groups() * rows * cols);
        Engine.current().parallelFor(m, (chunk, from, to) -> {
            for (int s = from; s < to; s++) {
                for (int grp = 0; grp < g.groups(); grp++) {
                    Im2col.im2col(x, (s0 + s) * g.inSize(), g, grp * g.groupInC(), col, grp * rows * cols + s * plane,
                            cols);
                }
            }
        });
        return col;
    }

    /**
     * Samples {@code [s0, s0 + m)} of {@code t} ({@code [n][channels][plane]}) with their planes side by side,
     * {@code [channels][m*plane]}, in this thread's workspace {@code slot}.
     */
    private static float[] side(float[] t, int s0, int m, int channels, int plane, int slot) {
        float[] d = Workspace.get(slot, channels * m * plane);
        move(t, d, s0, m, channels, plane, true);
        return d;
    }

    /** The inverse of {@link #side}: {@code [channels][m*plane]} back into samples {@code [s0, s0 + m)} of t. */
    private static void apart(float[] d, int s0, int m, int channels, int plane, float[] t) {
        move(t, d, s0, m, channels, plane, false);
    }

    /** Copies each plane between its place in {@code t} and its place in {@code d}: into d when {@code toSide}. */
    private static void move(float[] t, float[] d, int s0, int m, int channels, int plane, boolean toSide) {
        int cols = m * plane;
        Engine.current().parallelFor(m, (chunk, from, to) -> {
            for (int s = from; s < to; s++) {
                for (int ch = 0; ch < channels; ch++) {
                    int at = ((s0 + s) * channels + ch) * plane;
                    int side = ch * cols + s * plane;
                    if (toSide) {
                        System.arraycopy(t, at, d, side, plane);
                    } else {
                        System.arraycopy(d, side, t, at, plane);
                    }
                }
            }
        });
    }
}
