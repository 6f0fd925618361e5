package org.retina.cuda;

import org.retina.nn.Component;
import org.retina.tensor.Shape;

/**
 * Ops of one input whose work is one kernel per direction: activations, flatten and reshape (copies), dropout,
 * softmax and log-softmax over a sample's one axis, and global pooling.
 */
final class Elementwise extends Op {
    /** What the op computes. */
    enum Kind { RELU, LEAKY_RELU, SIGMOID, TANH, COPY, DROPOUT, SOFTMAX, LOG_SOFTMAX, GLOBAL_AVG, GLOBAL_MAX }

    private final Kind kind;
    private final float param;
    /** Per-sample input elements. */
    private final long inSize;
    /** Dropout's mask, global max pooling's arg-max. */
    private long scratch;
    private int scratchCapacity;

    Elementwise(String name, Component c, Shape in, Shape out, Kind kind, float param) {
        super(name, c, out);
        this.kind = kind;
        this.param = param;
        this.inSize = in.size();
    }

    @Override
    void prepare(CudaEngine e, int n) {
        if ((kind == Kind.DROPOUT || kind == Kind.GLOBAL_MAX) && n > scratchCapacity) {
            e.gpu.memory.release(scratch);
            scratch = e.gpu.memory.allocate(4L * n * (kind == Kind.DROPOUT ? inSize : outSize()));
            scratchCapacity = n;
        }
    }

    @Override
    void forward(CudaEngine e, int n, long[] x, long y, boolean train) {
        Kernels k = e.gpu.kernels;
        long total = n * inSize;
        switch (kind) {
            case RELU -> k.run("relu_f", total, x[0], y, total);
            case LEAKY_RELU -> k.run("leaky_f", total, x[0], y, total, param);
            case SIGMOID -> k.run("sigmoid_f", total, x[0], y, total);
            case TANH -> k.run("tanh_f", total, x[0], y, total);
            case COPY -> e.gpu.copy(y, x[0], total);
            case DROPOUT -> {
                if (train && param > 0) {
                    float scale = param >= 1 ? 0f : 1f / (1f - param);
                    k.run("dropout_f", total, x[0], y, scratch, total, param, scale, e.seed(), e.nextOffset(total));
                } else {
                    e.gpu.copy(y, x[0], total);
                }
            }
            case SOFTMAX, LOG_SOFTMAX -> k.launch("softmax_f", Kernels.warpGrid(n), Kernels.BLOCK, x[0], y, n,
                    (int) inSize, flag(kind == Kind.LOG_SOFTMAX));
            case GLOBAL_AVG -> {
                int planes = (int) (n * outSize());
                k.launch("gap_f", Kernels.warpGrid(planes), Kernels.BLOCK, x[0], y, planes,
                        (int) (inSize / outSize()));
            }
            case GLOBAL_MAX -> {
                int planes = (int) (n * outSize());
                k.run("gmp_f", planes, x[0], y, train ? scratch : 0L, planes, (int) (inSize / outSize()));
            }
        }
    }

    @Override
    void backward(CudaEngine e, int n, long[] x, long y, long gy, long[] gx, boolean[] acc) {
        if (gx[0] == 0) {
            return;
        }
        Kernels k = e.gpu.kernels;
        long total = n * inSize;
        int a = flag(acc[0]);
        switch (kind) {
            case RELU -> k.run("relu_b", total, y, gy, gx[0], total, a);
            case LEAKY_RELU -> k.run("leaky_b", total, x[0], gy, gx[0], total, param, a);
            case SIGMOID -> k.run("sigmoid_b", total, y, gy, gx[0], total, a);
            case TANH -> k.run("tanh_b", total, y, gy, gx[0], total, a);
            case COPY -> e.gpu.copyOrAdd(gx[0], gy, total, acc[0]);
            case DROPOUT -> {
                if (param > 0) {
                    k.run("mul_acc", total, gy, scratch, gx[0], total, a);
                } else {
                    e.gpu.copyOrAdd(gx[0], gy, total, acc[0]);
                }
            }
            case SOFTMAX, LOG_SOFTMAX -> k.launch("softmax_b", Kernels.warpGrid(n), Kernels.BLOCK, y, gy, gx[0], n,
                    (int) inSize, flag(kind == Kind.LOG_SOFTMAX), a);
            case GLOBAL_AVG -> {
                int planes = (int) (n * outSize());
                k.run("gap_b", total, gy, gx[0], planes, (int) (inSize / outSize()), a);
            }
            case GLOBAL_MAX -> {
                int planes = (int) (n * outSize());
                k.run("gmp_b", total, gy, scratch, gx[0], planes, (int) (inSize / outSize()), a);
            }
        }
    }

    @Override
    void close(CudaEngine e) {
        e.gpu.memory.release(scratch);
        scratch = 0;
    }
}
