package org.retina.nn;

import java.util.Arrays;
import org.retina.tensor.Shape;

/**
 * NumPy's broadcasting of two per-sample shapes, as {@link Multiply} and {@link Arithmetic} use it: the dims are
 * aligned from the right; each pair must be equal or one of them 1. The batch is never broadcast.
 *
 * @param out     the output's per-sample dims
 * @param dims    the same elements as the kernels walk them, neighbouring dims merged where both inputs allow
 * @param aStride the first input's strides over {@code dims}, 0 along the dims it repeats
 * @param bStride the second input's, likewise
 */
record Broadcasting(int[] out, int[] dims, int[] aStride, int[] bStride) {

    /** The broadcast of {@code a} and {@code b}, or a {@link ShapeException} of {@code type} naming both. */
    static Broadcasting of(String type, Shape a, Shape b) {
        int rank = Math.max(Math.max(a.rank(), b.rank()), 1);
        int[] out = new int[rank];
        int[] d0 = aligned(a, rank);
        int[] d1 = aligned(b, rank);
        for (int i = 0; i < rank; i++) {
            if (d0[i] != d1[i] && d0[i] != 1 && d1[i] != 1) {
                throw new ShapeException(type, "input 1 " + b + " does not match input 0 " + a + ", expected equal"
                        + " shapes or shapes that broadcast (dims from the right equal or 1)");
            }
            out[i] = Math.max(d0[i], d1[i]);
        }
        return coalesced(out, strides(d0), strides(d1));
    }

    /**
     * The same broadcast with neighbouring dims merged where both inputs step through them alike (a
     * {@code (C, H, W)} map times a {@code (C, 1, 1)} gate becomes {@code (C, H*W)} times {@code (C, 1)}): the
     * kernels' inner loop then runs over whole planes instead of rows.
     */
    private static Broadcasting coalesced(int[] dims, int[] a, int[] b) {
        int n = dims.length;
        int[] d = new int[n];
        int[] sa = new int[n];
        int[] sb = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (k > 0 && sa[k - 1] == a[i] * dims[i] && sb[k - 1] == b[i] * dims[i]) {
                d[k - 1] *= dims[i]; // dim i continues dim k-1 for both inputs
                sa[k - 1] = a[i];
                sb[k - 1] = b[i];
            } else {
                d[k] = dims[i];
                sa[k] = a[i];
                sb[k] = b[i];
                k++;
            }
        }
        return new Broadcasting(dims, Arrays.copyOf(d, k), Arrays.copyOf(sa, k), Arrays.copyOf(sb, k));
    }

    /** The output's per-sample shape. */
    Shape shape() {
        return Shape.of(out);
    }

    /** The output's batch shape for {@code n} samples. */
    Shape withBatch(int n) {
        return shape().withBatch(n);
    }

    private static int[] aligned(Shape s, int rank) {
        int[] d = new int[rank];
        Arrays.fill(d, 1);
        for (int i = 0; i < s.rank(); i++) {
            d[rank - s.rank() + i] = s.dim(i);
        }
        return d;
    }

    /** Row-major strides of {@code d}, 0 along dims of size 1 (which broadcast). */
    private static int[] strides(int[] d) {
        int[] st = new int[d.length];
        int step = 1;
        for (int i = d.length - 1; i >= 0; i--) {
            st[i] = d[i] == 1 ? 0 : step;
            step *= d[i];
        }
        return st;
    }
}
