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
        int block = size(dims);
        perBlock(outer, block, (from, to) -> {
            int[] k = new int[dims.length];
            for (int o = from; o < to; o++) {
                int ai = o * aBlock;
                int bi = o * bBlock;
                int yi = o * block;
                java.util.Arrays.fill(k, 0);
                int last = dims.length - 1;
                int inner = dims[last];
                int as = aStride[last];
                int bs = bStride[last];
                for (int done = 0; done < block; done += inner) {
                    for (int j = 0; j < inner; j++) {
                        y[yi + j] = a[ai + j * as] * b[bi + j * bs];
                    }
                    yi += inner;
                    for (int d = last - 1; d >= 0; d--) { // the odometer over the outer dims
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

    /**
     * The gradient of one input of {@link #broadcastMultiply}: {@code g[src] += gy * other} summed over the
     * broadcast positions, in output order (so the sums do not depend on the thread count). {@code g} must be
     * zero on entry.
     */
    public static void broadcastMultiplyBackward(float[] gy, float[] other, int oBlock, int[] oStride, float[] g,
            int gBlock, int[] gStride, int outer, int[] dims) {
        int block = size(dims);
        perBlock(outer, block, (from, to) -> {
            int[] k = new int[dims.length];
            for (int o = from; o < to; o++) {
                int oi = o * oBlock;
                int gi = o * gBlock;
                int yi = o * block;
                java.util.Arrays.fill(k, 0);
                int last = dims.length - 1;
                int inner = dims[last];
                int os = oStride[last];
                int gs = gStride[last];
                for (int done = 0; done < block; done += inner) {
                    for (int j = 0; j < inner; j++) {
                        g[gi + j * gs] += gy[yi + j] * other[oi + j * os];
                    }
                    yi += inner;
                    for (int d = last - 1; d >= 0; d--) {
                        oi += oStride[d];
                        gi += gStride[d];
                        if (++k[d] < dims[d]) {
                            break;
                        }
                        oi -= oStride[d] * dims[d];
                        gi -= gStride[d] * dims[d];
                        k[d] = 0;
                    }
                }
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
        int block = size(dims);
        perBlock(outer, block, (from, to) -> {
            for (int o = from; o < to; o++) {
                int base = o * block;
                odometer(dims, aStride, bStride, o * aBlock, o * bBlock, (i, ai, bi) -> {
                    float u = a[ai];
                    float v = b[bi];
                    y[base + i] = op == ADD ? u + v : op == SUBTRACT ? u - v : u / v;
                });
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
        int block = size(dims);
        perBlock(outer, block, (from, to) -> {
            for (int o = from; o < to; o++) {
                int base = o * block;
                odometer(dims, aStride, bStride, o * aBlock, o * bBlock, (i, ai, bi) -> {
                    float g = gy[base + i];
                    switch (op) {
                        case ADD -> {
                            ga[ai] += g;
                            gb[bi] += g;
                        }
                        case SUBTRACT -> {
                            ga[ai] += g;
                            gb[bi] -= g;
                        }
                        default -> {
                            float v = b[bi];
                            ga[ai] += g / v;
                            gb[bi] -= g * a[ai] / (v * v);
                        }
                    }
                });
            }
        });
    }

    /** A visit of output element {@code i} reading {@code a[ai]} and {@code b[bi]}. */
    @FunctionalInterface
    private interface Visit {
        void at(int i, int ai, int bi);
    }

    /** Visits every element of one block of {@code dims} in order, with both inputs' broadcast indices. */
    private static void odometer(int[] dims, int[] aStride, int[] bStride, int ai, int bi, Visit visit) {
        int[] k = new int[dims.length];
        int n = size(dims);
        for (int i = 0; i < n; i++) {
            visit.at(i, ai, bi);
            for (int d = dims.length - 1; d >= 0; d--) {
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
