package org.retina.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The common pooling window, 2x2 with stride 2 and no padding, one plane at a time and {@code L} outputs per step:
 * two input rows are loaded as vectors, split into even and odd columns, and combined. Results are bit-identical to
 * {@link PoolKernels}' general loops: the same comparisons and sums in the same order.
 */
final class Pool2x2 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final int L = S.length();
    /** Lane indices for two-vector selects: even and odd columns, and their interleaving back. */
    static final FloatVector EVEN = FloatVector.fromArray(S, lanes(n -> 2 * n), 0);
    static final FloatVector ODD = FloatVector.fromArray(S, lanes(n -> 2 * n + 1), 0);
    private static final FloatVector LOW = FloatVector.fromArray(S, lanes(n -> n % 2 == 0 ? n / 2 : L + n / 2), 0);
    private static final FloatVector HIGH = FloatVector.fromArray(S,
            lanes(n -> n % 2 == 0 ? L / 2 + n / 2 : L + L / 2 + n / 2), 0);
    private static final IntVector TWICE = IntVector.fromArray(I, ints(n -> 2 * n), 0);

    private Pool2x2() {
    }

    private static float[] lanes(java.util.function.IntUnaryOperator f) {
        float[] a = new float[L];
        for (int n = 0; n < L; n++) {
            a[n] = f.applyAsInt(n);
        }
        return a;
    }

    private static int[] ints(java.util.function.IntUnaryOperator f) {
        int[] a = new int[L];
        for (int n = 0; n < L; n++) {
            a[n] = f.applyAsInt(n);
        }
        return a;
    }

    /** Whether a pooling geometry is the plain 2x2, stride-2 window inside the input. */
    static boolean applies(ConvGeometry g) {
        return L >= 4 && I.length() == L && g.kH() == 2 && g.kW() == 2 && g.strideH() == 2 && g.strideW() == 2
                && g.dilationH() == 1 && g.dilationW() == 1 && g.padTop() == 0 && g.padLeft() == 0
                && 2 * g.outH() <= g.inH() && 2 * g.outW() <= g.inW();
    }

    /**
     * Whether vector loads of plane {@code p}'s rows may run {@code 2L} floats past a row without leaving the
     * arrays; the narrow-row paths load whole vectors and mask only their stores.
     */
    private static boolean roomy(ConvGeometry g, int xOff, int yOff, int xLength, int yLength) {
        long rowEnd = (long) xOff + (2L * g.outH() - 1) * g.inW() + 2L * L;
        long outEnd = (long) yOff + (g.outH() - 1L) * g.outW() + L;
        return rowEnd <= xLength && outEnd <= yLength;
    }

    /**
     * Window maxima of the plane at {@code x[xOff ..]} into {@code y[yOff ..]} and its arg-max indices (in the plane)
     * into {@code arg[yOff ..]} when {@code arg} is not null. PyTorch's rule: the first maximum in scan order wins,
     * a NaN wins.
     */
    static void max(float[] x, int xOff, float[] y, int yOff, int[] arg, ConvGeometry g) {
        if (!Engine.vectorsNow()) {
            maxScalar(x, xOff, y, yOff, arg, g);
        } else if (g.outW() >= L) {
            maxWide(x, xOff, y, yOff, arg, g);
        } else if (roomy(g, xOff, yOff, x.length, y.length)) {
            maxNarrow(x, xOff, y, yOff, arg, g);
        } else {
            maxScalar(x, xOff, y, yOff, arg, g);
        }
    }

    /** Rows of at least L outputs: full vectors, the last one overlapping the one before. */
    private static void maxWide(float[] x, int xOff, float[] y, int yOff, int[] arg, ConvGeometry g) {
        int inW = g.inW();
        int outW = g.outW();
        for (int oy = 0; oy < g.outH(); oy++) {
            int r0 = xOff + 2 * oy * inW;
            int r1 = r0 + inW;
            int yo = yOff + oy * outW;
            for (int step = 0; step < outW; step += L) {
                int ox = Math.min(step, outW - L);
                FloatVector a0 = FloatVector.fromArray(S, x, r0 + 2 * ox);
                FloatVector a1 = FloatVector.fromArray(S, x, r0 + 2 * ox + L);
                FloatVector b0 = FloatVector.fromArray(S, x, r1 + 2 * ox);
                FloatVector b1 = FloatVector.fromArray(S, x, r1 + 2 * ox + L);
                FloatVector m = EVEN.selectFrom(a0, a1);
                FloatVector v = ODD.selectFrom(a0, a1);
                VectorMask<Float> t1 = v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN));
                m = m.blend(v, t1);
                v = EVEN.selectFrom(b0, b1);
                VectorMask<Float> t2 = v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN));
                m = m.blend(v, t2);
                v = ODD.selectFrom(b0, b1);
                VectorMask<Float> t3 = v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN));
                m = m.blend(v, t3);
                m.intoArray(y, yo + ox);
                if (arg != null) {
                    IntVector base = TWICE.add(2 * oy * inW + 2 * ox);
                    IntVector at = base.blend(base.add(1), t1.cast(I));
                    at = at.blend(base.add(inW), t2.cast(I));
                    at.blend(base.add(inW + 1), t3.cast(I)).intoArray(arg, yo + ox);
                }
            }
        }
    }

    /** Rows of fewer than L outputs: one vector per row, stores masked to the row. */
    private static void maxNarrow(float[] x, int xOff, float[] y, int yOff, int[] arg, ConvGeometry g) {
        int inW = g.inW();
        int outW = g.outW();
        VectorMask<Float> keep = S.indexInRange(0, outW);
        VectorMask<Integer> keepI = I.indexInRange(0, outW);
        for (int oy = 0; oy < g.outH(); oy++) {
            int r0 = xOff + 2 * oy * inW;
            int r1 = r0 + inW;
            int yo = yOff + oy * outW;
            FloatVector a0 = FloatVector.fromArray(S, x, r0);
            FloatVector a1 = FloatVector.fromArray(S, x, r0 + L);
            FloatVector b0 = FloatVector.fromArray(S, x, r1);
            FloatVector b1 = FloatVector.fromArray(S, x, r1 + L);
            FloatVector m = EVEN.selectFrom(a0, a1);
            FloatVector v = ODD.selectFrom(a0, a1);
            VectorMask<Float> t1 = v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN));
            m = m.blend(v, t1);
            v = EVEN.selectFrom(b0, b1);
            VectorMask<Float> t2 = v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN));
            m = m.blend(v, t2);
            v = ODD.selectFrom(b0, b1);
            VectorMask<Float> t3 = v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN));
            m = m.blend(v, t3);
            m.intoArray(y, yo, keep);
            if (arg != null) {
                IntVector base = TWICE.add(2 * oy * inW);
                IntVector at = base.blend(base.add(1), t1.cast(I));
                at = at.blend(base.add(inW), t2.cast(I));
                at.blend(base.add(inW + 1), t3.cast(I)).intoArray(arg, yo, keepI);
            }
        }
    }

    /** The same maxima one output at a time, for a plane too close to the end of its array. */
    private static void maxScalar(float[] x, int xOff, float[] y, int yOff, int[] arg, ConvGeometry g) {
        int inW = g.inW();
        for (int oy = 0; oy < g.outH(); oy++) {
            for (int ox = 0; ox < g.outW(); ox++) {
                int at = 2 * oy * inW + 2 * ox;
                int best = at;
                float m = x[xOff + at];
                for (int d = 1; d < 4; d++) {
                    int i = at + (d >> 1) * inW + (d & 1);
                    float v = x[xOff + i];
                    if (v > m || Float.isNaN(v)) {
                        m = v;
                        best = i;
                    }
                }
                y[yOff + oy * g.outW() + ox] = m;
                if (arg != null) {
                    arg[yOff + oy * g.outW() + ox] = best;
                }
            }
        }
    }

    /**
     * Routes each output gradient of the plane at {@code gy[yOff ..]} (arg-maxes at {@code arg[yOff ..]}) to its
     * window's arg-max in {@code gx[xOff ..]}; every other input gets 0.
     */
    static void maxBackward(float[] gy, int yOff, int[] arg, float[] gx, int xOff, ConvGeometry g) {
        int inW = g.inW();
        int outW = g.outW();
        boolean wide = outW >= L;
        if (!Engine.vectorsNow() || !wide && (long) yOff + (g.outH() - 1L) * outW + L > gy.length) {
            java.util.Arrays.fill(gx, xOff, xOff + g.inPlane(), 0f);
            for (int o = 0; o < g.outPlane(); o++) {
                gx[xOff + arg[yOff + o]] = gy[yOff + o];
            }
            return;
        }
        FloatVector zero = FloatVector.zero(S);
        // a narrow row writes 2*outW of each 2L-float pair of vectors
        VectorMask<Float> lo = S.indexInRange(0, wide ? L : 2 * outW);
        VectorMask<Float> hi = S.indexInRange(0, wide ? L : 2 * outW - L);
        for (int oy = 0; oy < g.outH(); oy++) {
            int r0 = xOff + 2 * oy * inW;
            int r1 = r0 + inW;
            int yo = yOff + oy * outW;
            for (int step = 0; step < outW; step += L) {
                int ox = wide ? Math.min(step, outW - L) : 0;
                FloatVector v = FloatVector.fromArray(S, gy, yo + ox);
                IntVector d = IntVector.fromArray(I, arg, yo + ox).sub(TWICE).sub(2 * oy * inW + 2 * ox);
                FloatVector v00 = zero.blend(v, d.compare(VectorOperators.EQ, 0).cast(S));
                FloatVector v01 = zero.blend(v, d.compare(VectorOperators.EQ, 1).cast(S));
                FloatVector v10 = zero.blend(v, d.compare(VectorOperators.EQ, inW).cast(S));
                FloatVector v11 = zero.blend(v, d.compare(VectorOperators.EQ, inW + 1).cast(S));
                LOW.selectFrom(v00, v01).intoArray(gx, r0 + 2 * ox, lo);
                HIGH.selectFrom(v00, v01).intoArray(gx, r0 + 2 * ox + L, hi);
                LOW.selectFrom(v10, v11).intoArray(gx, r1 + 2 * ox, lo);
                HIGH.selectFrom(v10, v11).intoArray(gx, r1 + 2 * ox + L, hi);
            }
            clearTail(gx, r0, r1, 2 * outW, inW);
        }
        java.util.Arrays.fill(gx, xOff + 2 * g.outH() * inW, xOff + g.inPlane(), 0f);
    }

    /** Zeroes the input columns right of the last window in two rows. */
    private static void clearTail(float[] gx, int r0, int r1, int from, int inW) {
        if (from < inW) {
            java.util.Arrays.fill(gx, r0 + from, r0 + inW, 0f);
            java.util.Arrays.fill(gx, r1 + from, r1 + inW, 0f);
        }
    }

    /** Window means of a plane: {@code (((a + b) + c) + d) / 4}, the order of the general loop. */
    static void avg(float[] x, int xOff, float[] y, int yOff, ConvGeometry g) {
        int inW = g.inW();
        int outW = g.outW();
        boolean wide = outW >= L;
        if (!Engine.vectorsNow() || !wide && !roomy(g, xOff, yOff, x.length, y.length)) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    int r0 = xOff + 2 * oy * inW + 2 * ox;
                    float s = x[r0] + x[r0 + 1];
                    s += x[r0 + inW];
                    s += x[r0 + inW + 1];
                    y[yOff + oy * outW + ox] = s / 4f;
                }
            }
            return;
        }
        VectorMask<Float> keep = S.indexInRange(0, wide ? L : outW);
        for (int oy = 0; oy < g.outH(); oy++) {
            int r0 = xOff + 2 * oy * inW;
            int r1 = r0 + inW;
            int yo = yOff + oy * outW;
            for (int step = 0; step < outW; step += L) {
                int ox = wide ? Math.min(step, outW - L) : 0;
                FloatVector a0 = FloatVector.fromArray(S, x, r0 + 2 * ox);
                FloatVector a1 = FloatVector.fromArray(S, x, r0 + 2 * ox + L);
                FloatVector b0 = FloatVector.fromArray(S, x, r1 + 2 * ox);
                FloatVector b1 = FloatVector.fromArray(S, x, r1 + 2 * ox + L);
                EVEN.selectFrom(a0, a1).add(ODD.selectFrom(a0, a1)).add(EVEN.selectFrom(b0, b1))
                        .add(ODD.selectFrom(b0, b1)).div(4f).intoArray(y, yo + ox, keep);
            }
        }
    }

    /** Spreads each output gradient of a plane over its window, a quarter each; 0 outside windows. */
    static void avgBackward(float[] gy, int yOff, float[] gx, int xOff, ConvGeometry g) {
        int inW = g.inW();
        int outW = g.outW();
        boolean wide = outW >= L;
        if (!Engine.vectorsNow() || !wide && (long) yOff + (g.outH() - 1L) * outW + L > gy.length) {
            java.util.Arrays.fill(gx, xOff, xOff + g.inPlane(), 0f);
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    float s = gy[yOff + oy * outW + ox] / 4f;
                    int r0 = xOff + 2 * oy * inW + 2 * ox;
                    gx[r0] = s;
                    gx[r0 + 1] = s;
                    gx[r0 + inW] = s;
                    gx[r0 + inW + 1] = s;
                }
            }
            return;
        }
        VectorMask<Float> lo = S.indexInRange(0, wide ? L : 2 * outW);
        VectorMask<Float> hi = S.indexInRange(0, wide ? L : 2 * outW - L);
        for (int oy = 0; oy < g.outH(); oy++) {
            int r0 = xOff + 2 * oy * inW;
            int r1 = r0 + inW;
            int yo = yOff + oy * outW;
            for (int step = 0; step < outW; step += L) {
                int ox = wide ? Math.min(step, outW - L) : 0;
                FloatVector v = FloatVector.fromArray(S, gy, yo + ox).div(4f);
                FloatVector a = LOW.selectFrom(v, v);
                FloatVector b = HIGH.selectFrom(v, v);
                a.intoArray(gx, r0 + 2 * ox, lo);
                b.intoArray(gx, r0 + 2 * ox + L, hi);
                a.intoArray(gx, r1 + 2 * ox, lo);
                b.intoArray(gx, r1 + 2 * ox + L, hi);
            }
            clearTail(gx, r0, r1, 2 * outW, inW);
        }
        java.util.Arrays.fill(gx, xOff + 2 * g.outH() * inW, xOff + g.inPlane(), 0f);
    }
}
