package org.retina.kernel;

/** Whole-array reductions: checks and sums over float arrays. */
public final class Reductions {
    private Reductions() {
    }

    /** True when none of the first {@code n} values is NaN or infinite. */
    public static boolean allFinite(float[] x, int n) {
        // x - x is 0 for every finite value and NaN for NaN and both infinities
        float acc = 0f;
        for (int i = 0; i < n; i++) {
            acc += x[i] - x[i];
        }
        return acc == 0f;
    }
}
