package org.retina.kernel;

/** Element-by-element arithmetic on float arrays: sums and copies that graphs and merges need. */
public final class Elementwise {
    private Elementwise() {
    }

    /** {@code out[i] = a[i] + b[i]}; {@code out} may alias {@code a} or {@code b}. */
    public static void add(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = a[i] + b[i];
        }
    }

    /** {@code acc[i] += x[i]}. */
    public static void addInto(float[] acc, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] += x[i];
        }
    }
}
