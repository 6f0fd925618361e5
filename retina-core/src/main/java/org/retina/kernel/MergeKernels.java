package org.retina.kernel;

/** Combining several inputs into one: elementwise sums, and concatenation of per-sample blocks and its inverse. */
public final class MergeKernels {
    private MergeKernels() {
    }

    /** {@code y = xs[0] + xs[1] + ...} over {@code n} floats, added in input order. Overwrites {@code y}. */
    public static void sum(float[][] xs, float[] y, int n) {
        Engine.current().parallelFor(n, 1 << 14, (chunk, from, to) -> {
            System.arraycopy(xs[0], from, y, from, to - from);
            for (int j = 1; j < xs.length; j++) {
                float[] x = xs[j];
                for (int i = from; i < to; i++) {
                    y[i] += x[i];
                }
            }
        });
    }

    /**
     * Writes, for each of {@code n} samples, the sample's block of every input one after the other:
     * input {@code j} holds {@code sizes[j]} floats per sample.
     */
    public static void concat(float[][] xs, int[] sizes, float[] y, int n) {
        int total = total(sizes);
        for (int s = 0; s < n; s++) {
            int off = s * total;
            for (int j = 0; j < xs.length; j++) {
                System.arraycopy(xs[j], s * sizes[j], y, off, sizes[j]);
                off += sizes[j];
            }
        }
    }

    /** The inverse of {@link #concat}: cuts each sample of {@code y} into the blocks of {@code parts}. */
    public static void split(float[] y, int[] sizes, float[][] parts, int n) {
        int total = total(sizes);
        for (int s = 0; s < n; s++) {
            int off = s * total;
            for (int j = 0; j < parts.length; j++) {
                System.arraycopy(y, off, parts[j], s * sizes[j], sizes[j]);
                off += sizes[j];
            }
        }
    }

    private static int total(int[] sizes) {
        int t = 0;
        for (int size : sizes) {
            t += size;
        }
        return t;
    }
}
