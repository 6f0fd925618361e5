package org.retina.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Comparisons of two computations of the same float32 values whose sums are taken in another order. */
public final class SumOrder {
    private SumOrder() {
    }

    /**
     * {@code got} within 2e-5 of {@code want}'s largest magnitude, plus 1e-6 absolute for values that are rounding
     * noise (the gradient of a convolution's bias before a batch norm is zero but for rounding). A failure names the
     * element and both values, labelled {@code gotLabel} and {@code wantLabel}.
     */
    public static void close(String what, float[] want, float[] got, String gotLabel, String wantLabel) {
        assertEquals(want.length, got.length, what);
        double scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= 2e-5 * scale + 1e-6)) {
                fail(String.format("%s [%d]: %s %g, %s %g (scale %g)", what, i, gotLabel, got[i], wantLabel, want[i],
                        scale));
            }
        }
    }
}
