package org.retina.kernel;

/**
 * Elementwise ops of two inputs with NumPy's broadcasting, forward and backward: each of {@code outer} samples
 * is a block of {@code dims}, and each input is read through its strides over those dims (0 along a dim it
 * repeats). Gradients are summed over the repeated positions in output order, so that the sums do not depend on
 * the thread count.
 */
public final class BroadcastKernels {
    /** Below this many elements an op runs on the calling thread: a fork costs more than it saves. */
    private static final int PARALLEL_MIN = 1 << 15;

    private BroadcastKernels() {
    }

    /** A body over the block range {@code [from, to)}. */
    @FunctionalInterface
    private interface Range {
        void run(int from, int to);
    }

    /**
     * {@code y = a * b} with broadcasting: {@code y} holds {@code outer} blocks of {@code dims}; the element at
     * index vector {@code k} of block {@code o} reads {@code a[o * aBlock + sum k_i aStride_i]} and likewise
     * {@code b} (a stride of 0 repeats a dim of size 1).
     */
    public static void broadcastMultiply(float[] a, int aBlock, int[] aStride, float[] b, int bBlock, int[] bStride,
            float[] y, int outer, int[] dims) {
        int as = last(aStride);
        int bs = last(bStride);
        rows(outer, dims, aBlock, aStride, bBlock, bStride, (yi, ai, bi, inner) -> {
            for (int j = 0; j < inner; j++) {
                y[yi + j] = a[ai + j * as] * b[bi + j * bs];
            }
        });
    }

    /**
     * The gradient of one input of {@link #broadcastMultiply}: {@code g[src] += gy * other} summed over the
     * broadcast positions, in output order (so the sums do not depend on the thread count). {@code g} must be
     * zero on entry.
     */
    public static void broadcastMultiplyBackward(float[] gy, float[] other, int oBlock, int[] oStride, float[] g,
            int gBlock, int[] gStride, int outer, int[] dims) {
        int os = last(oStride);
        int gs = last(gStride);
        rows(outer, dims, oBlock, oStride, gBlock, gStride, (yi, oi, gi, inner) -> {
            for (int j = 0; j < inner; j++) {
                g[gi + j * gs] += gy[yi + j] * other[oi + j * os];
            }
        });
    }

    /** The ops of {@link #broadcastBinary}. */
    public static final int ADD = 0;
    /** {@code a - b}. */
    public static final int SUBTRACT = 1;
    /** {@code a / b}. */
    public static final int DIVIDE = 2;

    /**
     * {@code y = a op b} ({@link #ADD}, {@link #SUBTRACT}, {@link #DIVIDE}) with broadcasting, laid out as in
     * {@link #broadcastMultiply}.
     */
    public static void broadcastBinary(int op, float[] a, int aBlock, int[] aStride, float[] b, int bBlock,
            int[] bStride, float[] y, int outer, int[] dims) {
        int as = last(aStride);
        int bs = last(bStride);
        rows(outer, dims, aBlock, aStride, bBlock, bStride, (yi, ai, bi, inner) -> {
            for (int j = 0; j < inner; j++) {
                float u = a[ai + j * as];
                float v = b[bi + j * bs];
                y[yi + j] = op == ADD ? u + v : op == SUBTRACT ? u - v : u / v;
            }
        });
    }

    /**
     * The gradients of {@link #broadcastBinary}, each summed over the positions where its input repeats, in output
     * order: {@code ga += gy} (or {@code gy / b}), {@code gb += gy}, {@code -gy} or {@code -gy a / b^2}. Both must
     * be zero on entry.
     */
    public static void broadcastBinaryBackward(int op, float[] gy, float[] a, int aBlock, int[] aStride, float[] b,
            int bBlock, int[] bStride, float[] ga, float[] gb, int outer, int[] dims) {
        int as = last(aStride);
        int bs = last(bStride);
        rows(outer, dims, aBlock, aStride, bBlock, bStride, (yi, ai, bi, inner) -> {
            for (int j = 0; j < inner; j++) {
                float g = gy[yi + j];
                int p = ai + j * as;
                int q = bi + j * bs;
                if (op == DIVIDE) {
                    float v = b[q];
                    ga[p] += g / v;
                    gb[q] -= g * a[p] / (v * v);
                } else {
                    ga[p] += g;
                    gb[q] += op == SUBTRACT ? -g : g;
                }
            }
        });
    }

    /** One row of the innermost dim: output from {@code yi}, the inputs from {@code ai} and {@code bi}. */
    @FunctionalInterface
    private interface Row {
        void run(int yi, int ai, int bi, int inner);
    }

    private static int last(int[] stride) {
        return stride[stride.length - 1];
    }

    /**
     * Walks {@code outer} blocks of {@code dims} row by row in output order, each row's start in the output and in
     * both inputs (an odometer over the outer dims adds each input's strides); blocks split over threads when
     * large.
     */
    private static void rows(int outer, int[] dims, int aBlock, int[] aStride, int bBlock, int[] bStride, Row row) {
        int block = size(dims);
        int lastDim = dims.length - 1;
        int inner = dims[lastDim];
        perBlock(outer, block, (from, to) -> {
            int[] k = new int[dims.length];
            for (int o = from; o < to; o++) {
                int ai = o * aBlock;
                int bi = o * bBlock;
                java.util.Arrays.fill(k, 0);
                for (int yi = o * block; yi < (o + 1) * block; yi += inner) {
                    row.run(yi, ai, bi, inner);
                    for (int d = lastDim - 1; d >= 0; d--) {
                        ai += aStride[d];
                        bi += bStride[d];
                        if (++k[d] < dims[d]) {
                            break;
                        }
                        ai -= aStride[d] * dims[d];
                        bi -= bStride[d] * dims[d];
                        k[d] = 0;
                    }
                }
            }
        });
    }

    /** Runs {@code body} over {@code [0, outer)} blocks of {@code block} elements, split by blocks when large. */
    private static void perBlock(int outer, int block, Range body) {
        if ((long) outer * block < PARALLEL_MIN) {
            body.run(0, outer);
        } else {
            Engine.current().parallelFor(outer, (chunk, from, to) -> body.run(from, to));
        }
    }

    private static int size(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }
}
