package org.retina.kernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the implicit-GEMM convolution ({@link ConvImplicit}) lays out one stride-1 geometry: the zero-padded copy of
 * a sample ({@code [C][hp][wp]}, input row {@code iy} at padded row {@code iy + top}, column {@code ix} at
 * {@code ix + left}), the offset of every column-matrix row {@code (c, u, v)} in that copy, and the output cut
 * into vector positions of {@code L} lanes.
 *
 * <p>With the padded copy, the column-matrix row {@code (c, u, v)} over the outputs {@code (oy, ox..ox+L)} is the
 * contiguous run {@code pad[kOff[c,u,v] + oy*wp + ox ..]}, so the GEMM loads its B operand straight from the padded
 * input. A position is either a run inside one output row ({@code rows} mode: a row of 14 is one vector of 14
 * lanes), or {@code L} consecutive places of the padded-width grid ({@code grid} mode: a row of 56 in a grid of 58
 * wastes 2 places in 58 instead of 8 in 64); a grid position may end one output row and begin the next, so it is
 * stored as up to two masked segments. The plan with fewer wasted lanes wins.
 */
final class ConvPlan {
    private static final int L = GemmKernel.L;
    /** Plans are immutable and few (one per distinct layer geometry and direction): computed once, then shared. */
    private static final Map<ConvGeometry, ConvPlan> CACHE = new ConcurrentHashMap<>();

    final ConvGeometry g;
    final int hp;
    final int wp;
    /** Floats of one padded sample, including the slack the last vectors read past the end. */
    final int padSize;
    /** Offset of column-matrix row {@code (c*kH + u)*kW + v} of one group in the padded sample. */
    final int[] kOff;
    final int positions;
    /** Where a position's first lane reads in the padded plane ({@code oy*wp + ox}). */
    final int[] src;
    /** Lanes {@code [0, len1)} go to {@code dst1 ..}; lanes {@code [start2, end2)} to {@code dst2 ..} (output plane). */
    final int[] dst1;
    final int[] len1;
    final int[] dst2;
    final int[] start2;
    final int[] end2;
    /** Where output {@code oy*outW + ox} reads in the padded plane: {@code oy*wp + ox}. */
    final int[] pix;

    private ConvPlan(ConvGeometry g) {
        this.g = g;
        int top = g.padTop();
        int left = g.padLeft();
        int spanH = (g.kH() - 1) * g.dilationH();
        int spanW = (g.kW() - 1) * g.dilationW();
        hp = Math.max(top + g.inH(), g.outH() + spanH);
        wp = Math.max(left + g.inW(), g.outW() + spanW);
        int cg = g.groupInC();
        int k = cg * g.kH() * g.kW();
        kOff = new int[k];
        int plane = hp * wp;
        for (int c = 0, r = 0; c < cg; c++) {
            for (int u = 0; u < g.kH(); u++) {
                for (int v = 0; v < g.kW(); v++, r++) {
                    kOff[r] = c * plane + u * g.dilationH() * wp + v * g.dilationW();
                }
            }
        }
        int outW = g.outW();
        int outH = g.outH();
        int perRow = (outW + L - 1) / L;
        long rowLanes = (long) outH * perRow * L;
        int gridSpan = (outH - 1) * wp + outW;
        int gridPositions = (gridSpan + L - 1) / L;
        boolean grid = wp >= L && (long) gridPositions * L < rowLanes;
        positions = grid ? gridPositions : outH * perRow;
        src = new int[positions];
        dst1 = new int[positions];
        len1 = new int[positions];
        dst2 = new int[positions];
        start2 = new int[positions];
        end2 = new int[positions];
        for (int p = 0; p < positions; p++) {
            if (grid) {
                int first = p * L;
                int oy = first / wp;
                int ox = first % wp;
                src[p] = first;
                if (ox < outW) {
                    dst1[p] = oy * outW + ox;
                    len1[p] = Math.min(L, outW - ox);
                }
                int next = (oy + 1) * wp;
                if (oy + 1 < outH && next < first + L) {
                    start2[p] = next - first;
                    end2[p] = Math.min(L, start2[p] + outW);
                    dst2[p] = (oy + 1) * outW;
                }
            } else {
                int oy = p / perRow;
                int ox = (p % perRow) * L;
                src[p] = oy * wp + ox;
                dst1[p] = oy * outW + ox;
                len1[p] = Math.min(L, outW - ox);
            }
        }
        pix = new int[outH * outW];
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                pix[oy * outW + ox] = oy * wp + ox;
            }
        }
        int maxRead = 0;
        for (int p = 0; p < positions; p++) {
            maxRead = Math.max(maxRead, src[p]);
        }
        maxRead += (g.inC() - 1) * plane + spanH * wp + spanW + L;
        padSize = Math.max(g.inC() * plane, maxRead) + L;
    }

    /** The plan of a stride-1 geometry. */
    static ConvPlan of(ConvGeometry g) {
        ConvPlan p = CACHE.get(g);
        if (p == null) {
            if (CACHE.size() > 256) {
                CACHE.clear();
            }
            p = new ConvPlan(g);
            CACHE.put(g, p);
        }
        return p;
    }

    /**
     * Copies sample {@code x[xOff ..]} ({@code [inC][inH][inW]}) into {@code pad[padOff ..]} with zeros around:
     * the interior is overwritten, the border and the slack cleared.
     */
    void pad(float[] x, int xOff, float[] pad, int padOff) {
        int inH = g.inH();
        int inW = g.inW();
        int top = g.padTop();
        int left = g.padLeft();
        int plane = hp * wp;
        for (int c = 0; c < g.inC(); c++) {
            int base = padOff + c * plane;
            java.util.Arrays.fill(pad, base, base + top * wp, 0f);
            for (int iy = 0; iy < inH; iy++) {
                int row = base + (top + iy) * wp;
                if (left > 0) {
                    java.util.Arrays.fill(pad, row, row + left, 0f);
                }
                System.arraycopy(x, xOff + (c * inH + iy) * inW, pad, row + left, inW);
                if (left + inW < wp) {
                    java.util.Arrays.fill(pad, row + left + inW, row + wp, 0f);
                }
            }
            java.util.Arrays.fill(pad, base + (top + inH) * wp, base + plane, 0f);
        }
        java.util.Arrays.fill(pad, padOff + g.inC() * plane, padOff + padSize, 0f);
    }
}
