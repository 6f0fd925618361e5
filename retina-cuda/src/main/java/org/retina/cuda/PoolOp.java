package org.retina.cuda;

import org.retina.kernel.ConvGeometry;
import org.retina.nn.Component;
import org.retina.tensor.Shape;

/**
 * Max and average pooling with any window, stride, padding (both sides on their own), dilation and ceil mode,
 * as the CPU kernels define them; backward gathers per input element, so no atomics and a fixed order.
 */
final class PoolOp extends Op {
    private final ConvGeometry g;
    private final boolean max;
    private final boolean includePad;
    private long arg;
    private int argCapacity;

    PoolOp(String name, Component c, ConvGeometry g, boolean max, boolean includePad) {
        super(name, c, Shape.of(g.outC(), g.outH(), g.outW()));
        this.g = g;
        this.max = max;
        this.includePad = includePad;
    }

    @Override
    void prepare(CudaEngine e, int n) {
        if (max && n > argCapacity) {
            e.gpu.memory.release(arg);
            arg = e.gpu.memory.allocate(4L * n * outSize());
            argCapacity = n;
        }
    }

    @Override
    void forward(CudaEngine e, int n, long[] x, long y, boolean train) {
        int planes = n * g.inC();
        long total = (long) planes * g.outH() * g.outW();
        if (max) {
            e.gpu.kernels.run("maxpool_f", total, x[0], y, train ? arg : 0L, planes, g.inH(), g.inW(), g.outH(),
                    g.outW(), g.kH(), g.kW(), g.strideH(), g.strideW(), g.padTop(), g.padLeft(), g.dilationH(),
                    g.dilationW());
        } else {
            e.gpu.kernels.run("avgpool_f", total, x[0], y, planes, g.inH(), g.inW(), g.outH(), g.outW(), g.kH(),
                    g.kW(), g.strideH(), g.strideW(), g.padTop(), g.padLeft(), g.padBottom(), g.padRight(),
                    g.dilationH(), g.dilationW(), flag(includePad));
        }
    }

    @Override
    void backward(CudaEngine e, int n, long[] x, long y, long gy, long[] gx, boolean[] acc) {
        if (gx[0] == 0) {
            return;
        }
        int planes = n * g.inC();
        long total = (long) planes * g.inH() * g.inW();
        if (max) {
            e.gpu.kernels.run("maxpool_b", total, gy, arg, gx[0], planes, g.inH(), g.inW(), g.outH(), g.outW(),
                    g.kH(), g.kW(), g.strideH(), g.strideW(), g.padTop(), g.padLeft(), g.dilationH(), g.dilationW(),
                    flag(acc[0]));
        } else {
            e.gpu.kernels.run("avgpool_b", total, gy, gx[0], planes, g.inH(), g.inW(), g.outH(), g.outW(), g.kH(),
                    g.kW(), g.strideH(), g.strideW(), g.padTop(), g.padLeft(), g.padBottom(), g.padRight(),
                    g.dilationH(), g.dilationW(), flag(includePad), flag(acc[0]));
        }
    }

    @Override
    void close(CudaEngine e) {
        e.gpu.memory.release(arg);
        arg = 0;
    }
}
