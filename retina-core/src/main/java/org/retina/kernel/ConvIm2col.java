package org.retina.kernel;

import java.util.Arrays;

/**
 * 2-D convolution over a batch as im2col + GEMM per sample and group: the general path of {@link ConvKernels}, for
 * strides the implicit GEMM does not take.
 */
final class ConvIm2col {
    private ConvIm2col() {
    }

    /** {@code y = conv(x, w) + bias}; {@code bias} may be null. Overwrites {@code y}. */
    static void forward(float[] x, float[] w, float[] bias, float[] y, int n, ConvGeometry g) {
        int plane = g.outPlane();
        int rows = g.colRows();
        int ocg = g.groupOutC();
        Engine.current().parallelFor(n, (chunk, from, to) -> {
            float[] col = Workspace.get(Workspace.COL, rows * plane);
            for (int s = from; s < to; s++) {
                int xOff = s * g.inSize();
                int yOff = s * g.outSize();
                for (int grp = 0; grp < g.groups(); grp++) {
                    Im2col.im2col(x, xOff, g, grp * g.groupInC(), col, 0, plane);
                    Gemm.sgemm(false, false, ocg, plane, rows, w, grp * ocg * rows, rows, col, 0, plane,
                            y, yOff + grp * ocg * plane, plane, false);
                }
                if (bias != null) {
                    for (int o = 0; o < g.outC(); o++) {
                        float bo = bias[o];
                        int off = yOff + o * plane;
                        for (int i = 0; i < plane; i++) {
                            y[off + i] += bo;
                        }
                    }
                }
            }
        });
    }

    /** {@code gx = d(sum y*gy)/dx}. Overwrites {@code gx}. */
    static void backwardData(float[] gy, float[] w, float[] gx, int n, ConvGeometry g) {
        int plane = g.outPlane();
        int rows = g.colRows();
        int ocg = g.groupOutC();
        Engine.current().parallelFor(n, (chunk, from, to) -> {
            float[] col = Workspace.get(Workspace.COL, rows * plane);
            for (int s = from; s < to; s++) {
                int xOff = s * g.inSize();
                int yOff = s * g.outSize();
                Arrays.fill(gx, xOff, xOff + g.inSize(), 0f);
                for (int grp = 0; grp < g.groups(); grp++) {
                    int gyOff = yOff + grp * ocg * plane;
                    Gemm.sgemm(true, false, rows, plane, ocg, w, grp * ocg * rows, rows, gy, gyOff, plane,
                            col, 0, plane, false);
                    Im2col.col2im(col, 0, plane, g, grp * g.groupInC(), gx, xOff);
                }
            }
        });
    }

    /**
     * Adds {@code d(sum y*gy)/dw} to {@code gw} and, when {@code gb} is not null, {@code d/dbias} to {@code gb}.
     * Each thread sums its samples into its own buffer; the buffers are added in a fixed order.
     */
    static void backwardWeights(float[] x, float[] gy, float[] gw, float[] gb, int n, ConvGeometry g) {
        int plane = g.outPlane();
        int rows = g.colRows();
        int ocg = g.groupOutC();
        int wSize = g.outC() * rows;
        Engine backend = Engine.current();
        int chunks = backend.chunks(n);
        float[][] partial = new float[chunks][];
        backend.parallelFor(n, (chunk, from, to) -> {
            float[] acc = chunk == 0 ? gw : new float[wSize];
            partial[chunk] = acc;
            float[] col = Workspace.get(Workspace.COL, rows * plane);
            for (int s = from; s < to; s++) {
                int xOff = s * g.inSize();
                int yOff = s * g.outSize();
                for (int grp = 0; grp < g.groups(); grp++) {
                    Im2col.im2col(x, xOff, g, grp * g.groupInC(), col, 0, plane);
                    Gemm.sgemm(false, true, ocg, rows, plane, gy, yOff + grp * ocg * plane, plane, col, 0, plane,
                            acc, grp * ocg * rows, rows, true);
                }
            }
        });
        for (int c = 1; c < chunks; c++) {
            float[] p = partial[c];
            for (int i = 0; i < wSize; i++) {
                gw[i] += p[i];
            }
        }
        if (gb != null) {
            for (int s = 0; s < n; s++) {
                int yOff = s * g.outSize();
                for (int o = 0; o < g.outC(); o++) {
                    float sum = 0f;
                    int off = yOff + o * plane;
                    for (int i = 0; i < plane; i++) {
                        sum += gy[off + i];
                    }
                    gb[o] += sum;
                }
            }
        }
    }
}
