package org.retina.cuda;

import org.retina.nn.Dense;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;

/** {@link Dense} on cuBLAS: {@code y = x W^T + b} with W in PyTorch's {@code [out, in]} layout, row-major. */
final class DenseOp extends Op {
    private final int in;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    DenseOp(String name, Dense dense) {
        super(name, dense, Shape.of(dense.settings().outFeatures()));
        in = dense.weight().shape().dim(1);
        outFeatures = dense.weight().shape().dim(0);
        weight = dense.weight();
        bias = dense.parameters().size() > 1 ? dense.parameters().get(1) : null;
    }

    @Override
    void forward(CudaEngine e, int n, long[] x, long y, boolean train) {
        Gpu gpu = e.gpu;
        // column-major: Y^T (out x n) = W^T^T ... i.e. C = op(A) B with A = W stored (in x out), op = T
        gpu.blas.sgemm(gpu.blasHandle, CuBlas.OP_T, CuBlas.OP_N, outFeatures, n, in, gpu.one, e.value(weight), in,
                x[0], in, gpu.zero, y, outFeatures);
        if (bias != null) {
            long total = (long) n * outFeatures;
            gpu.kernels.run("bias_add", total, y, e.value(bias), total, outFeatures, 1);
        }
    }

    @Override
    void backward(CudaEngine e, int n, long[] x, long y, long gy, long[] gx, boolean[] acc) {
        Gpu gpu = e.gpu;
        if (weight.trainable()) {
            // dW^T (in x out) = X^T (in x n) dY (n x out)
            gpu.blas.sgemm(gpu.blasHandle, CuBlas.OP_N, CuBlas.OP_T, in, outFeatures, n, gpu.one, x[0], in, gy,
                    outFeatures, gpu.zero, e.grad(weight), in);
        }
        if (bias != null && bias.trainable()) {
            gpu.kernels.launch("bias_grad", outFeatures, Kernels.BLOCK, gy, e.grad(bias), n, outFeatures, 1);
        }
        if (gx[0] != 0) {
            // dX^T (in x n) = W^T (in x out) dY^T (out x n)
            gpu.blas.sgemm(gpu.blasHandle, CuBlas.OP_N, CuBlas.OP_N, in, n, outFeatures, gpu.one, e.value(weight), in,
                    gy, outFeatures, acc[0] ? gpu.one : gpu.zero, gx[0], in);
        }
    }
}
