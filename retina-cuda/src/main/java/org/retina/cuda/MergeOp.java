package org.retina.cuda;

import java.util.List;
import org.retina.nn.Component;
import org.retina.tensor.Shape;

/** {@code Add} (element-wise sum) and {@code Concat} (along channels) of several inputs. */
final class MergeOp extends Op {
    private final boolean concat;
    /** Per-sample channel count and plane of each input (concat). */
    private final int[] channels;
    private final int plane;

    MergeOp(String name, Component c, List<Shape> in, Shape out, boolean concat) {
        super(name, c, out);
        this.concat = concat;
        channels = in.stream().mapToInt(s -> s.dim(0)).toArray();
        plane = (int) (out.size() / out.dim(0));
    }

    @Override
    void forward(CudaEngine e, int n, long[] x, long y, boolean train) {
        Kernels k = e.gpu.kernels;
        long total = n * outSize();
        if (!concat) {
            k.run("add2", total, y, x[0], x[1], total);
            for (int i = 2; i < x.length; i++) {
                k.run("add_into", total, y, x[i], total);
            }
            return;
        }
        int cd = out.dim(0);
        int off = 0;
        for (int i = 0; i < x.length; i++) {
            long part = (long) n * channels[i] * plane;
            k.run("concat_f", part, x[i], y, n, channels[i], cd, off, plane);
            off += channels[i];
        }
    }

    @Override
    void backward(CudaEngine e, int n, long[] x, long y, long gy, long[] gx, boolean[] acc) {
        int cd = out.dim(0);
        int off = 0;
        for (int i = 0; i < x.length; i++) {
            if (gx[i] != 0) {
                if (concat) {
                    long part = (long) n * channels[i] * plane;
                    e.gpu.kernels.run("concat_b", part, gy, gx[i], n, channels[i], cd, off, plane, flag(acc[i]));
                } else {
                    e.gpu.copyOrAdd(gx[i], gy, n * outSize(), acc[i]);
                }
            }
            off += channels[i];
        }
    }
}
