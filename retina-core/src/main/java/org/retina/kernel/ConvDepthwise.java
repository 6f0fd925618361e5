package org.retina.kernel;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise convolution, one filter per channel ({@code groups == inC == outC}), forward and backward, for any
 * kernel, stride, dilation and padding. The implicit GEMM would tile such a layer 8 output channels at a time with
 * 1 of the 8 rows real; im2col would multiply a 1-row matrix per channel. Here a channel is a plane of its own.
 *
 * <p>The zero-padded input plane (only the rows and columns some output reads) is split into {@code sH x sW}
 * phases by the residues of its row and column modulo the stride: padded position {@code (r, c)} lies in phase
 * {@code (r % sH, c % sW)} at {@code (r / sH, c / sW)}, each phase {@code hq x wq}. Tap {@code (u, v)} of output
 * {@code (oy, ox)} then reads phase {@code (u*dH % sH, v*dW % sW)} at {@code (oy + u*dH / sH, ox + v*dW / sW)}: on
 * the grid {@code p = oy*wq + ox}, every tap is one fixed offset from {@code p}, so whole vectors of consecutive
 * grid positions read consecutive floats whatever the stride. Grid positions with {@code ox >= outW} are computed
 * and dropped (forward), or hold zeros (backward); a 7-wide output row on a 9-wide grid wastes 2 places in 9.
 * Stride 1 is the one-phase case: the padded plane itself.
 *
 * <p>Backward data is the exact adjoint: every tap scatters {@code w * gy} back along the same offsets into the
 * phases, which are then read back into the input plane. Backward weights is the dot product of the gradient grid
 * with each tap's run, accumulated per lane over the batch in sample order and reduced by {@link VMath#sum}, so the
 * result does not depend on the number of threads.
 */
final class ConvDepthwise {
    private static final VectorSpecies<Float> S = GemmKernel.S;
    private static final int L = GemmKernel.L;
    /** Layouts are immutable and few (one per distinct depthwise geometry): computed once, then shared. */
    private static final Map<ConvGeometry, ConvDepthwise> CACHE = new ConcurrentHashMap<>();

    private final ConvGeometry g;
    /** Rows and columns of the padded plane that some output reads. */
    private final int hp;
    private final int wp;
    /** Columns of one phase: the grid's row pitch. */
    private final int wq;
    /** Floats of one phase. */
    private final int phaseSize;
    /** Floats of the phases together with the slack the last vectors read past them. */
    private final int size;
    /** Grid positions computed, whole vectors: {@code outH * wq} rounded up to a multiple of the vector length. */
    private final int grid;
    /** Where tap {@code u*kW + v} reads in the phases, relative to the grid position. */
    private final int[] tapOff;

    private ConvDepthwise(ConvGeometry g) {
        this.g = g;
        int sh = g.strideH();
        int sw = g.strideW();
        hp = (g.outH() - 1) * sh + (g.kH() - 1) * g.dilationH() + 1;
        wp = (g.outW() - 1) * sw + (g.kW() - 1) * g.dilationW() + 1;
        int hq = (hp + sh - 1) / sh;
        wq = (wp + sw - 1) / sw;
        phaseSize = hq * wq;
        grid = (g.outH() * wq + L - 1) / L * L;
        tapOff = new int[g.kH() * g.kW()];
        int maxOff = 0;
        for (int u = 0, t = 0; u < g.kH(); u++) {
            for (int v = 0; v < g.kW(); v++, t++) {
                int r = u * g.dilationH();
                int c = v * g.dilationW();
                tapOff[t] = ((r % sh) * sw + c % sw) * phaseSize + r / sh * wq + c / sw;
                maxOff = Math.max(maxOff, tapOff[t]);
            }
        }
        size = Math.max(sh * sw * phaseSize, maxOff + grid);
    }

    /** Whether this is a depthwise convolution: as many groups as input and as output channels. */
    static boolean supports(ConvGeometry g) {
        return g.groups() == g.inC() && g.outC() == g.inC();
    }

    private static ConvDepthwise of(ConvGeometry g) {
        ConvDepthwise d = CACHE.get(g);
        if (d == null) {
            if (CACHE.size() > 256) {
                CACHE.clear();
            }
            d = new ConvDepthwise(g);
            CACHE.put(g, d);
        }
        return d;
    }

    /** Units of {@code (sample, channel)} per parallel chunk: about 2^16 multiply-adds of work each. */
    private int grain() {
        return (int) Math.max(1, (1 << 16) / ((long) grid * tapOff.length));
    }

    /** {@code y = conv(x, w) + bias}, {@code w} as {@code [C][kH*kW]}; {@code bias} may be null. Overwrites y. */
    static void forward(float[] x, float[] w, float[] bias, float[] y, int n, ConvGeometry g, Epilogue e) {
        ConvDepthwise d = of(g);
        int ch = g.inC();
        int taps = d.tapOff.length;
        Engine.current().parallelFor(n * ch, d.grain(), (chunk, from, to) -> {
            float[] ph = Workspace.get(Workspace.PAD, d.size + L);
            float[] acc = Workspace.get(Workspace.TILE, d.grid);
            for (int unit = from; unit < to; unit++) {
                int c = unit % ch;
                d.lay(x, unit * g.inPlane(), ph);
                d.forwardPlane(ph, w, c * taps, bias == null ? 0f : bias[c], acc);
                int yOff = unit * g.outPlane();
                for (int oy = 0; oy < g.outH(); oy++) {
                    System.arraycopy(acc, oy * d.wq, y, yOff + oy * g.outW(), g.outW());
                }
                if (e != null) {
                    e.apply(y, yOff, g.outPlane(), c);
                }
            }
        });
    }

    /** {@code acc[p] = b + sum over taps of w[t] * ph[tapOff[t] + p]}, the taps added in order, by fused steps. */
    private void forwardPlane(float[] ph, float[] w, int wOff, float b, float[] acc) {
        int taps = tapOff.length;
        if (!Engine.vectorsNow()) {
            for (int p = 0; p < grid; p++) {
                float a = b;
                for (int t = 0; t < taps; t++) {
                    a = Math.fma(w[wOff + t], ph[tapOff[t] + p], a);
                }
                acc[p] = a;
            }
            return;
        }
        FloatVector bv = FloatVector.broadcast(S, b);
        if (taps != 9) {
            for (int p = 0; p < grid; p += L) {
                FloatVector a = bv;
                for (int t = 0; t < taps; t++) {
                    a = FloatVector.broadcast(S, w[wOff + t]).fma(FloatVector.fromArray(S, ph, tapOff[t] + p), a);
                }
                a.intoArray(acc, p);
            }
            return;
        }
        // 3x3, the common case: the nine weights stay in registers and each vector costs one load per tap
        FloatVector w0 = FloatVector.broadcast(S, w[wOff]);
        FloatVector w1 = FloatVector.broadcast(S, w[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(S, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(S, w[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(S, w[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(S, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(S, w[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(S, w[wOff + 7]);
        FloatVector w8 = FloatVector.broadcast(S, w[wOff + 8]);
        int o0 = tapOff[0], o1 = tapOff[1], o2 = tapOff[2], o3 = tapOff[3], o4 = tapOff[4];
        int o5 = tapOff[5], o6 = tapOff[6], o7 = tapOff[7], o8 = tapOff[8];
        for (int p = 0; p < grid; p += L) {
            FloatVector a = w0.fma(FloatVector.fromArray(S, ph, o0 + p), bv);
            a = w1.fma(FloatVector.fromArray(S, ph, o1 + p), a);
            a = w2.fma(FloatVector.fromArray(S, ph, o2 + p), a);
            a = w3.fma(FloatVector.fromArray(S, ph, o3 + p), a);
            a = w4.fma(FloatVector.fromArray(S, ph, o4 + p), a);
            a = w5.fma(FloatVector.fromArray(S, ph, o5 + p), a);
            a = w6.fma(FloatVector.fromArray(S, ph, o6 + p), a);
            a = w7.fma(FloatVector.fromArray(S, ph, o7 + p), a);
            a = w8.fma(FloatVector.fromArray(S, ph, o8 + p), a);
            a.intoArray(acc, p);
        }
    }

    /** {@code gx = d(sum y*gy)/dx}. Overwrites {@code gx}. */
    static void backwardData(float[] gy, float[] w, float[] gx, int n, ConvGeometry g) {
        ConvDepthwise d = of(g);
        int ch = g.inC();
        int taps = d.tapOff.length;
        Engine.current().parallelFor(n * ch, d.grain(), (chunk, from, to) -> {
            float[] ph = Workspace.get(Workspace.PAD, d.size + L);
            float[] gg = Workspace.get(Workspace.TILE, d.grid);
            boolean vec = Engine.vectorsNow();
            for (int unit = from; unit < to; unit++) {
                d.gridOf(gy, unit * g.outPlane(), gg);
                Arrays.fill(ph, 0, d.size, 0f);
                int wOff = unit % ch * taps;
                for (int t = 0; t < taps; t++) {
                    float wt = w[wOff + t];
                    int off = d.tapOff[t];
                    if (vec) {
                        FloatVector wv = FloatVector.broadcast(S, wt);
                        for (int p = 0; p < d.grid; p += L) {
                            wv.fma(FloatVector.fromArray(S, gg, p), FloatVector.fromArray(S, ph, off + p))
                                    .intoArray(ph, off + p);
                        }
                    } else {
                        for (int p = 0; p < d.grid; p++) {
                            ph[off + p] = Math.fma(wt, gg[p], ph[off + p]);
                        }
                    }
                }
                d.unlay(ph, gx, unit * g.inPlane());
            }
        });
    }

    /**
     * Adds {@code d(sum y*gy)/dw} to {@code gw} and, when {@code gb} is not null, {@code d/dbias} to {@code gb}. Each
     * channel's sums run over the batch in sample order on one thread.
     */
    static void backwardWeights(float[] x, float[] gy, float[] gw, float[] gb, int n, ConvGeometry g) {
        ConvDepthwise d = of(g);
        int ch = g.inC();
        int taps = d.tapOff.length;
        int grain = Math.max(1, d.grain() / Math.max(1, n));
        Engine.current().parallelFor(ch, grain, (chunk, from, to) -> {
            float[] ph = Workspace.get(Workspace.PAD, d.size + L);
            float[] gg = Workspace.get(Workspace.TILE, d.grid);
            float[] lanes = Workspace.get(Workspace.LANES, (taps + 1) * L);
            for (int c = from; c < to; c++) {
                Arrays.fill(lanes, 0, (taps + 1) * L, 0f);
                for (int s = 0; s < n; s++) {
                    int unit = s * ch + c;
                    d.lay(x, unit * g.inPlane(), ph);
                    d.gridOf(gy, unit * g.outPlane(), gg);
                    d.weightLanes(ph, gg, lanes);
                }
                for (int t = 0; t < taps; t++) {
                    gw[c * taps + t] += VMath.sumScalar(lanes, t * L);
                }
                if (gb != null) {
                    gb[c] += VMath.sumScalar(lanes, taps * L);
                }
            }
        });
    }

    /**
     * Adds, lane by lane, {@code gg[p] * ph[tapOff[t] + p]} over the grid to {@code lanes[t*L ..]} and {@code gg[p]}
     * to {@code lanes[taps*L ..]}; lane {@code l} takes the grid positions {@code p % L == l}, in order.
     */
    private void weightLanes(float[] ph, float[] gg, float[] lanes) {
        int taps = tapOff.length;
        if (!Engine.vectorsNow()) {
            for (int t = 0; t < taps; t++) {
                int off = tapOff[t];
                for (int p = 0; p < grid; p++) {
                    int l = t * L + p % L;
                    lanes[l] = Math.fma(gg[p], ph[off + p], lanes[l]);
                }
            }
            for (int p = 0; p < grid; p++) {
                lanes[taps * L + p % L] += gg[p];
            }
            return;
        }
        for (int t = 0; t < taps; t++) {
            int off = tapOff[t];
            FloatVector a = FloatVector.fromArray(S, lanes, t * L);
            for (int p = 0; p < grid; p += L) {
                a = FloatVector.fromArray(S, gg, p).fma(FloatVector.fromArray(S, ph, off + p), a);
            }
            a.intoArray(lanes, t * L);
        }
        FloatVector a = FloatVector.fromArray(S, lanes, taps * L);
        for (int p = 0; p < grid; p += L) {
            a = a.add(FloatVector.fromArray(S, gg, p));
        }
        a.intoArray(lanes, taps * L);
    }

    /** The output-gradient plane {@code gy[off ..]} on the grid: row {@code oy} at {@code oy*wq}, zeros between. */
    private void gridOf(float[] gy, int off, float[] gg) {
        int outW = g.outW();
        Arrays.fill(gg, 0, grid, 0f);
        for (int oy = 0; oy < g.outH(); oy++) {
            System.arraycopy(gy, off + oy * outW, gg, oy * wq, outW);
        }
    }

    /** Copies the input plane {@code x[xOff ..]} into the phases with zeros around; overwrites {@code ph[0, size)}. */
    private void lay(float[] x, int xOff, float[] ph) {
        Arrays.fill(ph, 0, size, 0f);
        exchange(x, xOff, ph, true);
    }

    /** The adjoint of {@link #lay}: the input plane {@code gx[off ..]} read back from the phases; overwrites it. */
    private void unlay(float[] ph, float[] gx, int off) {
        Arrays.fill(gx, off, off + g.inPlane(), 0f);
        exchange(gx, off, ph, false);
    }

    /**
     * Moves the inside of the input plane {@code t[off ..]} (the rows and columns some output reads) into the phases,
     * or, not {@code toPhases}, back out of them: each input float to or from its padded position's phase.
     */
    private void exchange(float[] t, int off, float[] ph, boolean toPhases) {
        int inW = g.inW();
        int left = g.padLeft();
        int rows = Math.min(g.inH(), hp - g.padTop());
        int cols = Math.max(0, Math.min(inW, wp - left));
        int sh = g.strideH();
        int sw = g.strideW();
        for (int iy = 0; iy < rows; iy++) {
            int r = iy + g.padTop();
            int row = (r % sh) * sw * phaseSize + r / sh * wq;
            int line = off + iy * inW;
            if (sw == 1) {
                if (toPhases) {
                    System.arraycopy(t, line, ph, row + left, cols);
                } else {
                    System.arraycopy(ph, row + left, t, line, cols);
                }
            } else if (sw == 2 && toPhases && Engine.vectorsNow()) {
                splitPairs(t, line, cols, ph, row + left % 2 * phaseSize + left / 2,
                        row + (left + 1) % 2 * phaseSize + (left + 1) / 2);
            } else {
                for (int q = 0; q < sw; q++) {
                    int ix = Math.floorMod(q - left, sw);
                    for (int p = row + q * phaseSize + (ix + left) / sw; ix < cols; ix += sw, p++) {
                        if (toPhases) {
                            ph[p] = t[line + ix];
                        } else {
                            t[line + ix] = ph[p];
                        }
                    }
                }
            }
        }
    }

    /**
     * Stride 2 along a row: {@code x[src + 2j]} to {@code ph[even + j]} and {@code x[src + 2j + 1]} to
     * {@code ph[odd + j]} for the first {@code cols} floats, two vectors in and two out at a time. The phases'
     * workspace has a vector of slack, so the masked stores of a row's last floats stay inside it.
     */
    private static void splitPairs(float[] x, int src, int cols, float[] ph, int even, int odd) {
        for (int i = 0; i < cols; i += 2 * L) {
            FloatVector a;
            FloatVector b;
            int rest = cols - i;
            if (rest >= 2 * L) {
                a = FloatVector.fromArray(S, x, src + i);
                b = FloatVector.fromArray(S, x, src + i + L);
                Pool2x2.EVEN.selectFrom(a, b).intoArray(ph, even + i / 2);
                Pool2x2.ODD.selectFrom(a, b).intoArray(ph, odd + i / 2);
            } else {
                a = FloatVector.fromArray(S, x, src + i, S.indexInRange(0, rest));
                b = FloatVector.fromArray(S, x, src + i + L, S.indexInRange(L, rest));
                Pool2x2.EVEN.selectFrom(a, b).intoArray(ph, even + i / 2, S.indexInRange(0, (rest + 1) / 2));
                Pool2x2.ODD.selectFrom(a, b).intoArray(ph, odd + i / 2, S.indexInRange(0, rest / 2));
            }
        }
    }
}
