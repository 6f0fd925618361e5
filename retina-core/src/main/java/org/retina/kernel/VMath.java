package org.retina.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector arithmetic that gives the same bits however the JVM runs it. The Vector API's own float reduction and
 * transcendental functions may differ between the interpreter, C1 and C2 (a reduction's order and the math library
 * are left to the implementation), so a result would depend on how warm the JIT is. These use a fixed lane-pairing
 * tree and polynomials of basic IEEE operations instead (Cephes' single-precision coefficients, within 2 ulp).
 */
final class VMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Shuffles pairing lane {@code i} with {@code i ^ h} for h = L/2, L/4, ..., 1. */
    private static final VectorShuffle<Float> H1 = pair(1);
    private static final VectorShuffle<Float> H2 = pair(Math.min(2, L / 2));
    private static final VectorShuffle<Float> H4 = pair(Math.min(4, L / 2));
    private static final VectorShuffle<Float> H8 = pair(Math.min(8, L / 2));
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float below 2^22 to the nearest integer in its low mantissa bits. */
    private static final float ROUND = 12582912f;

    private VMath() {
    }

    private static VectorShuffle<Float> pair(int h) {
        return VectorShuffle.fromOp(S, i -> i ^ h);
    }

    /** The sum of the lanes, always added in the same tree (this vector's length is at most 16 lanes). */
    static float sum(FloatVector v) {
        if (L >= 16) {
            v = v.add(v.rearrange(H8));
        }
        if (L >= 8) {
            v = v.add(v.rearrange(H4));
        }
        if (L >= 4) {
            v = v.add(v.rearrange(H2));
        }
        v = v.add(v.rearrange(H1));
        return v.lane(0);
    }

    /**
     * The scalar twin of {@link #sum}: the {@code L} floats at {@code lanes[off ..]} added in the same tree, in
     * place (the lanes are spent).
     */
    static float sumScalar(float[] lanes, int off) {
        for (int h = L / 2; h >= 1; h /= 2) {
            for (int i = 0; i < h; i++) {
                lanes[off + i] = lanes[off + i] + lanes[off + i + h];
            }
        }
        return lanes[off];
    }

    /** {@code y[i] = tanh(x[i])} over a run; in place when the arrays and offsets are the same. */
    static void tanh(float[] x, int xOff, float[] y, int yOff, int len) {
        int i = 0;
        for (boolean vec = Engine.vectorsNow(); vec && i <= len - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector a = v.abs();
            // small |x|: x + x^3 * p(x^2)
            FloatVector z = v.mul(v);
            FloatVector p = z.mul(-5.70498872745e-3f).add(2.06390887954e-2f).mul(z).sub(5.37397155531e-2f).mul(z)
                    .add(1.33314422036e-1f).mul(z).sub(3.33332819422e-1f);
            FloatVector small = v.add(v.mul(z).mul(p));
            // larger |x|: 1 - 2 / (exp(2|x|) + 1), sign restored; exp saturates beyond |x| = 9
            // e = exp(2 min(|x|, 9)) = 2^n p(r), written out here: a helper taking a vector boxes it when C2
            // compiles the helper on its own
            FloatVector ex = a.min(9f).mul(2f);
            FloatVector t = ex.mul(LOG2E).add(ROUND);
            FloatVector n = t.sub(ROUND);
            IntVector bits = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND)).add(127)
                    .lanewise(VectorOperators.LSHL, 23);
            FloatVector r = ex.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
            FloatVector q = r.mul(1.9875691500e-4f).add(1.3981999507e-3f).mul(r).add(8.3334519073e-3f).mul(r)
                    .add(4.1665795894e-2f).mul(r).add(1.6666665459e-1f).mul(r).add(5.0000001201e-1f);
            FloatVector e = q.mul(r.mul(r)).add(r).add(1f).mul(bits.reinterpretAsFloats());
            FloatVector large = FloatVector.broadcast(S, 2f).div(e.add(1f)).neg().add(1f);
            large = large.blend(large.neg(), v.compare(VectorOperators.LT, 0f));
            VectorMask<Float> isSmall = a.compare(VectorOperators.LT, 0.625f);
            FloatVector out = large.blend(small, isSmall);
            out.blend(v, v.test(VectorOperators.IS_NAN)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] = tanh(x[xOff + i]);
        }
    }

    /** The scalar twin of the vector tanh: the same operations in the same order. */
    static float tanh(float v) {
        if (Float.isNaN(v)) {
            return v;
        }
        float a = Math.abs(v);
        if (a < 0.625f) {
            float z = v * v;
            float p = ((((z * -5.70498872745e-3f + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z
                    + 1.33314422036e-1f) * z - 3.33332819422e-1f);
            return v + v * z * p;
        }
        float e = exp(Math.min(a, 9f) * 2f);
        float large = -(2f / (e + 1f)) + 1f;
        return v < 0f ? -large : large;
    }

    /** {@code e^x} for {@code |x| <= 87}: {@code 2^n * p(r)}, {@code x = n ln2 + r}; the vector tanh's exp. */
    static float exp(float x) {
        float t = x * LOG2E + ROUND;
        float n = t - ROUND;
        int ni = Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ROUND);
        int half = ni >> 1;
        float r = x - n * LN2_HI - n * LN2_LO;
        float p = (((((r * 1.9875691500e-4f + 1.3981999507e-3f) * r + 8.3334519073e-3f) * r + 4.1665795894e-2f) * r
                + 1.6666665459e-1f) * r + 5.0000001201e-1f);
        return (p * (r * r) + r + 1f) * Float.intBitsToFloat((half + 127) << 23)
                * Float.intBitsToFloat((ni - half + 127) << 23);
    }

    /**
     * {@code y[i] = exp(x[i] - shift[i or 0])} over a run: {@code shift} is read at {@code sOff + i} when
     * {@code perLane}, else at {@code sOff}. Below -87.3 the result is 0, above 88.7 infinity; NaN stays NaN.
     */
    static void expShifted(float[] x, int xOff, float[] shift, int sOff, boolean perLane, float[] y, int yOff,
                           int len) {
        int i = 0;
        for (boolean vec = Engine.vectorsNow(); vec && i <= len - L; i += L) {
            FloatVector m = perLane ? FloatVector.fromArray(S, shift, sOff + i) : FloatVector.broadcast(S, shift[sOff]);
            FloatVector v = FloatVector.fromArray(S, x, xOff + i).sub(m);
            FloatVector c = v.max(-87.3f).min(88.7f);
            FloatVector t = c.mul(LOG2E).add(ROUND);
            FloatVector n = t.sub(ROUND);
            // 2^n as 2^(n/2) * 2^(n - n/2): each factor stays a normal float for n in [-126, 128]
            IntVector ni = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND));
            IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
            FloatVector p1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector p2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector r = c.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
            FloatVector q = r.mul(1.9875691500e-4f).add(1.3981999507e-3f).mul(r).add(8.3334519073e-3f).mul(r)
                    .add(4.1665795894e-2f).mul(r).add(1.6666665459e-1f).mul(r).add(5.0000001201e-1f);
            FloatVector e = q.mul(r.mul(r)).add(r).add(1f).mul(p1).mul(p2);
            e = e.blend(0f, v.compare(VectorOperators.LT, -87.3f));
            e = e.blend(Float.POSITIVE_INFINITY, v.compare(VectorOperators.GT, 88.7f));
            e.blend(v, v.test(VectorOperators.IS_NAN)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] = expClamped(x[xOff + i] - shift[perLane ? sOff + i : sOff]);
        }
    }

    /** The scalar twin of {@link #expShifted}'s lanes. */
    static float expClamped(float v) {
        if (Float.isNaN(v)) {
            return v;
        }
        if (v < -87.3f) {
            return 0f;
        }
        if (v > 88.7f) {
            return Float.POSITIVE_INFINITY;
        }
        return exp(v);
    }
}
