package org.retina.cuda;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.retina.nn.Component;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;

/**
 * {@code BatchNorm2d} and {@code BatchNorm1d} on cuDNN's spatial batch normalization: batch statistics and the
 * running averages (unbiased variance, PyTorch's momentum) in training, the running statistics in evaluation.
 * A (N, F) input is normalized as (N, F, 1, 1).
 */
final class BatchNormOp extends Op {
    private final int channels;
    private final int height;
    private final int width;
    private final double eps;
    private final double momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;
    /** Device copies of the running statistics, then the saved batch mean and inverse deviation. */
    private final long mean;
    private final long var;
    private final long saveMean;
    private final long saveInvVar;
    /** Ones and zeros standing for scale and shift when the layer is not affine, and their gradients' sink. */
    private final long constants;
    private final Map<Integer, long[]> descriptors = new HashMap<>();
    private long[] desc;

    BatchNormOp(String name, Component bn, Shape in, double eps, double momentum, Parameter weight, Parameter bias,
                Parameter runningMean, Parameter runningVar, CudaEngine e) {
        super(name, bn, in);
        channels = in.dim(0);
        height = in.rank() > 1 ? in.dim(1) : 1;
        width = in.rank() > 2 ? in.dim(2) : 1;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = weight;
        this.bias = bias;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        Gpu gpu = e.gpu;
        mean = gpu.memory.allocate(4L * channels);
        var = gpu.memory.allocate(4L * channels);
        saveMean = gpu.memory.allocate(4L * channels);
        saveInvVar = gpu.memory.allocate(4L * channels);
        gpu.upload(runningMean.value().data(), 0, channels, mean);
        gpu.upload(runningVar.value().data(), 0, channels, var);
        constants = gpu.memory.allocate(4L * channels * 4);
        gpu.kernels.run("fill", channels, constants, 1f, (long) channels);
        gpu.zero(constants + 4L * channels, channels * 3L);
    }

    /** cuDNN refuses an epsilon below 1e-5. */
    static boolean supports(double eps) {
        return eps >= 1e-5;
    }

    @Override
    List<Parameter> parameters() {
        return weight == null ? List.of() : List.of(weight, bias);
    }

    @Override
    void prepare(CudaEngine e, int n) {
        desc = descriptors.computeIfAbsent(n, k -> {
            long x = e.gpu.dnn.tensor(k, channels, height, width);
            return new long[] {x, e.gpu.dnn.batchNormDescriptor(x)};
        });
    }

    private long scale(CudaEngine e) {
        return weight == null ? constants : e.value(weight);
    }

    private long shift(CudaEngine e) {
        return bias == null ? constants + 4L * channels : e.value(bias);
    }

    @Override
    void forward(CudaEngine e, int n, long[] x, long y, boolean train) {
        Gpu gpu = e.gpu;
        if (train) {
            gpu.dnn.bnForwardTraining(gpu.dnnHandle, gpu.one, gpu.zero, desc[0], x[0], desc[0], y, desc[1], scale(e),
                    shift(e), momentum, mean, var, eps, saveMean, saveInvVar);
        } else {
            gpu.dnn.bnForwardInference(gpu.dnnHandle, gpu.one, gpu.zero, desc[0], x[0], desc[0], y, desc[1], scale(e),
                    shift(e), mean, var, eps);
        }
    }

    @Override
    void backward(CudaEngine e, int n, long[] x, long y, long gy, long[] gx, boolean[] acc) {
        Gpu gpu = e.gpu;
        long sink = constants + 8L * channels;
        long dScale = weight == null || !weight.trainable() ? sink : e.grad(weight);
        long dShift = bias == null || !bias.trainable() ? sink + 4L * channels : e.grad(bias);
        long dx = gx[0];
        if (dx == 0) {
            dx = e.scratch(4L * n * outSize());
        }
        gpu.dnn.bnBackward(gpu.dnnHandle, gpu.one, gx[0] != 0 && acc[0] ? gpu.one : gpu.zero, gpu.zero, desc[0],
                x[0], desc[0], gy, desc[0], dx, desc[1], scale(e), dScale, dShift, eps, saveMean, saveInvVar);
    }

    @Override
    void download(CudaEngine e) {
        e.gpu.download(mean, runningMean.value().data(), 0, channels);
        e.gpu.download(var, runningVar.value().data(), 0, channels);
    }

    @Override
    void close(CudaEngine e) {
        for (long p : new long[] {mean, var, saveMean, saveInvVar, constants}) {
            e.gpu.memory.release(p);
        }
        for (long[] d : descriptors.values()) {
            e.gpu.dnn.destroyTensors(d);
        }
        descriptors.clear();
    }
}
