package org.retina.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.retina.kernel.NormKernels;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * What {@link BatchNorm1d} and {@link BatchNorm2d} share once they know the channel count: the parameters, the
 * running statistics, the training cache and the kernel calls. Data is seen as {@code (N, C, inner)}.
 */
final class BatchNormCore {
    static final double DEFAULT_EPS = 1e-5;
    static final double DEFAULT_MOMENTUM = 0.1;

    private final String type;
    private final double eps;
    private final double momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private final float[] saveMean;
    private final float[] saveInvStd;
    private Tensor input;
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();

    BatchNormCore(String type, int channels, double eps, double momentum, boolean affine) {
        this.type = type;
        this.eps = eps;
        this.momentum = momentum;
        weight = affine ? Parameter.learnable("weight", Shape.of(channels)) : null;
        bias = affine ? Parameter.learnable("bias", Shape.of(channels)) : null;
        runningMean = Parameter.buffer("running_mean", Shape.of(channels));
        runningVar = Parameter.buffer("running_var", Shape.of(channels));
        saveMean = new float[channels];
        saveInvStd = new float[channels];
        reset();
    }

    /** PyTorch's initial state: weight 1, bias 0, running mean 0, running variance 1. */
    void reset() {
        if (weight != null) {
            weight.value().fill(1f);
            bias.value().fill(0f);
        }
        runningMean.value().fill(0f);
        runningVar.value().fill(1f);
    }

    int channels() {
        return runningMean.size();
    }

    Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0);
        int c = channels();
        int inner = x.sampleSize() / c;
        Tensor y = out.forward(x.shape(), mode);
        float[] g = weight == null ? null : weight.value().data();
        float[] b = bias == null ? null : bias.value().data();
        if (mode == Mode.EVAL) {
            NormKernels.batchNormEval(x.data(), y.data(), g, b, runningMean.value().data(),
                    runningVar.value().data(), n, c, inner, (float) eps);
            return y;
        }
        if (n * inner < 2) {
            // as PyTorch: one value has no variance, and the unbiased running variance would divide by zero
            throw new IllegalArgumentException(type + ": training needs more than 1 value per channel, got input "
                    + x.shape() + "; use a batch of 2 or more, or evaluate");
        }
        NormKernels.batchNormTrain(x.data(), y.data(), g, b, runningMean.value().data(), runningVar.value().data(),
                saveMean, saveInvStd, n, c, inner, (float) eps, (float) momentum);
        input = x;
        return y;
    }

    Tensor backward(Tensor gradOut) {
        int n = input.dim(0);
        int c = channels();
        Tensor gradIn = grad.get(input.shape());
        NormKernels.batchNormBackward(input.data(), gradOut.data(), gradIn.data(),
                weight == null ? null : weight.value().data(), weight == null ? null : weight.grad().data(),
                bias == null ? null : bias.grad().data(), saveMean, saveInvStd, n, c, input.sampleSize() / c);
        input = null;
        return gradIn;
    }

    List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>(2);
        if (weight != null) {
            p.add(weight);
            p.add(bias);
        }
        return p;
    }

    List<Parameter> buffers() {
        return List.of(runningMean, runningVar);
    }

    Parameter weight() {
        return weight;
    }

    Parameter bias() {
        return bias;
    }

    Parameter runningMean() {
        return runningMean;
    }

    Parameter runningVar() {
        return runningVar;
    }

    /** Checks the shared settings, naming the layer type. */
    static void validate(String type, int numFeatures, double eps, double momentum) {
        if (numFeatures < 0) {
            throw new IllegalArgumentException(type + ": numFeatures is " + numFeatures + ", expected >= 0");
        }
        if (!(eps > 0 && Double.isFinite(eps))) {
            throw new IllegalArgumentException(type + ": eps is " + eps + ", expected a finite number > 0");
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(type + ": momentum is " + momentum + ", expected 0 <= momentum <= 1");
        }
    }

    static Map<String, Object> config(int numFeatures, double eps, double momentum, boolean affine) {
        Map<String, Object> m = Configs.map();
        if (numFeatures != 0) {
            m.put("numFeatures", numFeatures);
        }
        m.put("eps", eps);
        m.put("momentum", momentum);
        m.put("affine", affine);
        return m;
    }

    /** {@code BatchNorm2d(16, eps=0.001)}: the channel count when known, then only the non-defaults. */
    static String describe(String type, int channels, double eps, double momentum, boolean affine) {
        StringBuilder sb = new StringBuilder(type).append('(');
        if (channels != 0) {
            sb.append(channels);
        }
        String sep = channels != 0 ? ", " : "";
        if (eps != DEFAULT_EPS) {
            sb.append(sep).append("eps=").append(eps);
            sep = ", ";
        }
        if (momentum != DEFAULT_MOMENTUM) {
            sb.append(sep).append("momentum=").append(momentum);
            sep = ", ";
        }
        if (!affine) {
            sb.append(sep).append("affine=false");
        }
        return sb.append(')').toString();
    }
}
