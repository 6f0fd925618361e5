package org.retina.model;

import org.retina.kernel.BlockKernels;
import org.retina.kernel.ConvGeometry;
import org.retina.kernel.ConvKernels;
import org.retina.kernel.Workspace;
import org.retina.nn.AvgPool2d;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Buffers;
import org.retina.nn.Clip;
import org.retina.nn.Conv2d;
import org.retina.nn.Layer;
import org.retina.nn.MaxPool2d;
import org.retina.nn.Mode;
import org.retina.nn.ReLU;
import org.retina.nn.Tanh;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * A convolution followed by any of batch norm, ReLU or tanh, and a 2x2 stride-2 max or average pooling, run by the
 * model as one step ({@link Fusion}): the convolution writes {@code z}, then one pass per channel applies the rest
 * ({@link BlockKernels}), and backward mirrors it. The layers' parameters and running statistics are used and
 * updated exactly as the layers themselves would; only the intermediate tensors are never written. Training state
 * lives here and is reused while the batch shape repeats; evaluation uses per-thread scratch and changes nothing.
 */
final class FusedBlock {
    private final Conv2d conv;
    private final BatchNorm2d bn;
    private final int act;
    private final BlockKernels.Pool pool;
    private final Shape outSample;
    private Tensor input;
    private float[] z;
    private float[] keep;
    private float[] gz;
    private int[] arg;
    private Tensor out;
    private Tensor gradIn;
    private final float[] mean;
    private final float[] invStd;
    private final float[] scale;
    private final float[] shift;

    /** The block of {@code layers}: a built Conv2d, then the optional batch norm, activation and pooling. */
    FusedBlock(java.util.List<Layer> layers) {
        conv = (Conv2d) layers.getFirst();
        BatchNorm2d b = null;
        int a = BlockKernels.IDENTITY;
        BlockKernels.Pool p = null;
        for (Layer l : layers.subList(1, layers.size())) {
            switch (l) {
                case BatchNorm2d n -> b = n;
                case ReLU r -> a = BlockKernels.RELU;
                case Tanh t -> a = BlockKernels.TANH;
                case Clip c -> a = BlockKernels.RELU6; // the planner takes only Clip(0, 6)
                case MaxPool2d m -> p = new BlockKernels.Pool(m.geometry(), true);
                case AvgPool2d m -> p = new BlockKernels.Pool(m.geometry(), false);
                default -> throw new IllegalArgumentException("FusedBlock: cannot fuse " + l);
            }
        }
        bn = b;
        act = a;
        pool = p;
        ConvGeometry g = conv.geometry();
        outSample = p == null ? Shape.of(g.outC(), g.outH(), g.outW())
                : Shape.of(g.outC(), p.geometry().outH(), p.geometry().outW());
        mean = new float[g.outC()];
        invStd = new float[g.outC()];
        scale = new float[g.outC()];
        shift = new float[g.outC()];
    }

    private static float[] data(Parameter p) {
        return p == null ? null : p.value().data();
    }

    private static float[] grad(Parameter p) {
        return p == null ? null : p.grad().data();
    }

    private static float[] reuse(float[] a, int size) {
        return a != null && a.length == size ? a : new float[size];
    }

    Tensor forward(Tensor x, Mode mode) {
        ConvGeometry g = conv.geometry();
        int n = x.dim(0);
        int zLen = n * g.outSize();
        Shape outShape = outSample.withBatch(n);
        float[] w = conv.weight().value().data();
        float[] bias = data(conv.bias());
        int c = g.outC();
        int inner = g.outPlane();
        if (mode == Mode.EVAL) {
            float[] zz = Workspace.get(Workspace.BLOCK_Z, zLen);
            ConvKernels.forward(x.data(), w, bias, zz, n, g);
            Tensor y = Buffers.zeros(outShape);
            float[] sc = null;
            float[] sh = null;
            if (bn != null) {
                sc = new float[c];
                sh = new float[c];
                BlockKernels.evalAffine(data(bn.weight()), data(bn.bias()), data(bn.runningMean()),
                        data(bn.runningVar()), (float) bn.settings().eps(), sc, sh);
            }
            BlockKernels.evalForward(zz, n, c, inner, sc, sh, act, pool, y.data());
            return y;
        }
        if (bn != null && n * inner < 2) {
            throw new IllegalArgumentException("BatchNorm2d: training needs more than 1 value per channel, got input "
                    + Shape.of(n, c, g.outH(), g.outW()) + "; use a batch of 2 or more, or evaluate");
        }
        z = reuse(z, zLen);
        ConvKernels.forward(x.data(), w, bias, z, n, g);
        if (out == null || !out.shape().equals(outShape)) {
            out = Tensor.zeros(outShape);
        }
        keep = act == BlockKernels.TANH ? reuse(keep, zLen) : null;
        arg = pool != null && pool.max() ? (arg != null && arg.length == out.size() ? arg : new int[out.size()])
                : null;
        if (bn != null) {
            BlockKernels.trainForward(z, n, c, inner, data(bn.weight()), data(bn.bias()), data(bn.runningMean()),
                    data(bn.runningVar()), (float) bn.settings().eps(), (float) bn.settings().momentum(), mean,
                    invStd, scale, shift, act, pool, out.data(), arg, keep);
        } else {
            BlockKernels.trainForward(z, n, c, inner, null, null, null, null, 0f, 0f, null, null, null, null, act,
                    pool, out.data(), arg, keep);
        }
        input = x;
        return out;
    }

    /** Adds the parameter gradients; returns the input's gradient when asked for, else null. */
    Tensor backward(Tensor gradOut, boolean inputGradient) {
        ConvGeometry g = conv.geometry();
        int n = input.dim(0);
        gz = reuse(gz, z.length);
        boolean norm = bn != null;
        BlockKernels.trainBackward(gradOut.data(), z, n, g.outC(), g.outPlane(), norm ? data(bn.weight()) : null,
                norm ? grad(bn.weight()) : null, norm ? grad(bn.bias()) : null, norm ? mean : null,
                norm ? invStd : null, norm ? scale : null, norm ? shift : null, act, pool, arg, keep, gz);
        ConvKernels.backwardWeights(input.data(), gz, conv.weight().grad().data(), grad(conv.bias()), n, g);
        Tensor result = null;
        if (inputGradient) {
            if (gradIn == null || !gradIn.shape().equals(input.shape())) {
                gradIn = Tensor.zeros(input.shape());
            }
            ConvKernels.backwardData(gz, conv.weight().value().data(), gradIn.data(), n, g);
            result = gradIn;
        }
        input = null;
        return result;
    }

    /** Whether the block's batch norm is frozen (its weight not trainable), which a fused block cannot run. */
    boolean batchNormFrozen() {
        return bn != null && bn.weight() != null && !bn.weight().trainable();
    }
}
