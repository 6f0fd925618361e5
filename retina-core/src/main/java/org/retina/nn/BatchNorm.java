package org.retina.nn;

import java.util.List;
import java.util.Map;
import org.retina.kernel.NormKernels;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * What {@link BatchNorm1d} and {@link BatchNorm2d} share; they differ only in the rank of their input. Data is
 * seen as {@code (N, C, inner)}: {@code inner} is 1 for features, {@code H * W} for channels.
 */
abstract class BatchNorm<L extends BatchNorm<L, R>, R extends Record> implements Layer {
    static final double DEFAULT_EPS = 1e-5;
    static final double DEFAULT_MOMENTUM = 0.1;

    private final int numFeatures;
    private final double eps;
    private final double momentum;
    private final boolean affine;
    /** Put before the parameters' names: empty, or {@code bn.} inside a {@link ConvBlock}. */
    private final String prefix;
    private final SettingsCodec<R> codec;
    private final R settings;
    private Parameter weight;
    private Parameter bias;
    private Parameter runningMean;
    private Parameter runningVar;
    private float[] saveMean;
    private float[] saveInvStd;
    private Tensor input;
    /** Whether the last forward normalized with the running statistics (evaluation, or frozen). */
    private boolean evalPass;
    /** The values per channel over all replicas of the last synchronized forward; 0 after a plain one. */
    private long syncedCount;
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();

    /** The subclass's {@code settings}, their {@code codec}, and their values, which the kernels read. */
    BatchNorm(SettingsCodec<R> codec, R settings, int numFeatures, double eps, double momentum, boolean affine,
              String prefix) {
        this.codec = codec;
        this.settings = settings;
        this.prefix = prefix;
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
    }

    /** Throws a {@link ShapeException} unless the per-sample input has this layer's rank. */
    abstract void checkRank(Shape in);

    /** A layer of this kind with {@code settings}. */
    abstract L make(R settings);

    /** The settings this layer was made with; {@code numFeatures} stays 0 when it was inferred. */
    public R settings() {
        return settings;
    }

    /** With the feature count stated, checked at build (inferred when not stated). */
    public L withNumFeatures(int n) {
        return make(codec.with(settings, "numFeatures", n));
    }

    /** With {@code eps}, added to the variance for stability (1e-5 by default). */
    public L withEps(double eps) {
        return make(codec.with(settings, "eps", eps));
    }

    /** With {@code momentum}, the weight of each batch in the running statistics (0.1 by default). */
    public L withMomentum(double momentum) {
        return make(codec.with(settings, "momentum", momentum));
    }

    /** Without affine, no weight and bias are learned: {@code y = (x - mean) / sqrt(var + eps)}. */
    public L withAffine(boolean affine) {
        return make(codec.with(settings, "affine", affine));
    }

    @Override
    public Map<String, Object> config() {
        return codec.write(settings);
    }

    /** {@code BatchNorm2d(16, eps=0.001)}: the channel count when known, then only the non-defaults. */
    @Override
    public String toString() {
        return codec.describe(settings, "numFeatures", runningMean != null ? runningMean.size() : null);
    }

    @Override
    public Shape build(Shape in) {
        checkRank(in);
        int c = in.dim(0);
        if (numFeatures != 0 && numFeatures != c) {
            throw new ShapeException(type(), "input " + in + " has " + c + " features, expected " + numFeatures);
        }
        weight = affine ? Parameter.learnable(prefix + "weight", Shape.of(c)) : null;
        bias = affine ? Parameter.learnable(prefix + "bias", Shape.of(c)) : null;
        runningMean = Parameter.buffer(prefix + "running_mean", Shape.of(c));
        runningVar = Parameter.buffer(prefix + "running_var", Shape.of(c));
        saveMean = new float[c];
        saveInvStd = new float[c];
        reset();
        return in;
    }

    @Override
    public void initialize(Rng rng) {
        reset();
    }

    /** PyTorch's initial state: weight 1, bias 0, running mean 0, running variance 1. */
    private void reset() {
        if (weight != null) {
            weight.value().fill(1f);
            bias.value().fill(0f);
        }
        runningMean.value().fill(0f);
        runningVar.value().fill(1f);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0);
        int c = runningMean.size();
        int inner = x.sampleSize() / c;
        Tensor y = out.forward(x.shape(), mode);
        float[] g = weight == null ? null : weight.value().data();
        float[] b = bias == null ? null : bias.value().data();
        if (mode == Mode.EVAL || frozen()) {
            // frozen (its weight and bias not trainable), training normalizes with the running statistics and
            // leaves them alone, as Keras does for a non-trainable BatchNormalization: what fine-tuning expects
            NormKernels.batchNormEval(x.data(), y.data(), g, b, runningMean.value().data(),
                    runningVar.value().data(), n, c, inner, (float) eps);
            input = x;
            evalPass = true;
            return y;
        }
        evalPass = false;
        if (n * inner < 2) {
            // as PyTorch: one value has no variance, and the unbiased running variance would divide by zero
            throw new IllegalArgumentException(type() + ": training needs more than 1 value per channel, got input "
                    + x.shape() + "; use a batch of 2 or more, or evaluate");
        }
        Replicas.Sum replicas = Replicas.current();
        if (replicas == null) {
            NormKernels.batchNormTrain(x.data(), y.data(), g, b, runningMean.value().data(),
                    runningVar.value().data(), saveMean, saveInvStd, n, c, inner, (float) eps, (float) momentum);
            syncedCount = 0;
        } else {
            forwardSynchronized(x, y, g, b, n, c, inner, replicas);
        }
        input = x;
        return y;
    }

    /** The training forward with the batch statistics of every replica: mean, then squared deviations. */
    private void forwardSynchronized(Tensor x, Tensor y, float[] g, float[] b, int n, int c, int inner,
                                     Replicas.Sum replicas) {
        double[] sums = new double[c + 1];
        NormKernels.channelSums(x.data(), sums, n, c, inner);
        sums[c] = (double) n * inner;
        replicas.sum(sums);
        long m = (long) sums[c];
        double[] mean = new double[c];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = sums[ch] / m;
        }
        double[] sq = new double[c];
        NormKernels.channelSquaredDeviations(x.data(), mean, sq, n, c, inner);
        replicas.sum(sq);
        NormKernels.batchNormTrainWith(x.data(), y.data(), g, b, runningMean.value().data(),
                runningVar.value().data(), saveMean, saveInvStd, mean, sq, m, n, c, inner, (float) eps,
                (float) momentum);
        syncedCount = m;
    }

    /** Whether the layer is frozen: affine with its weight not trainable, so its statistics stay fixed too. */
    boolean frozen() {
        return weight != null && !weight.trainable();
    }

    /** None: it reads its input and the batch statistics. */
    @Override
    public boolean backwardReadsOutput() {
        return false;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        if (input == null) {
            throw new IllegalStateException(type() + ": backward needs a forward first");
        }
        int n = input.dim(0);
        int c = runningMean.size();
        Tensor gradIn = grad.gradient(input.shape());
        if (evalPass) {
            // the running statistics were constants: a frozen layer computes no parameter gradient
            boolean learn = weight != null && weight.trainable();
            NormKernels.batchNormEvalBackward(input.data(), gradOut.data(), gradIn.data(),
                    weight == null ? null : weight.value().data(), learn ? weight.grad().data() : null,
                    learn ? bias.grad().data() : null, runningMean.value().data(), runningVar.value().data(), n, c,
                    input.sampleSize() / c, (float) eps);
            input = null;
            return gradIn;
        }
        Replicas.Sum replicas = Replicas.current();
        if (replicas != null && syncedCount > 0) {
            int inner = input.sampleSize() / c;
            double[] local = new double[2 * c];
            NormKernels.batchNormGradSums(input.data(), gradOut.data(), saveMean, local, n, c, inner);
            double[] total = local.clone();
            replicas.sum(total);
            NormKernels.batchNormBackwardWith(input.data(), gradOut.data(), gradIn.data(),
                    weight == null ? null : weight.value().data(), weight == null ? null : weight.grad().data(),
                    bias == null ? null : bias.grad().data(), saveMean, saveInvStd, local, total, syncedCount, n, c,
                    inner);
            syncedCount = 0;
            input = null;
            return gradIn;
        }
        NormKernels.batchNormBackward(input.data(), gradOut.data(), gradIn.data(),
                weight == null ? null : weight.value().data(), weight == null ? null : weight.grad().data(),
                bias == null ? null : bias.grad().data(), saveMean, saveInvStd, n, c, input.sampleSize() / c);
        input = null;
        return gradIn;
    }

    @Override
    public List<Parameter> parameters() {
        return weight == null ? List.of() : List.of(weight, bias);
    }

    @Override
    public List<Parameter> buffers() {
        return runningMean == null ? List.of() : List.of(runningMean, runningVar);
    }

    /** Gamma, or null without affine. */
    public Parameter weight() {
        return weight;
    }

    /** Beta, or null without affine. */
    public Parameter bias() {
        return bias;
    }

    /** The running mean per channel, a buffer updated by training forwards and used in evaluation. */
    public Parameter runningMean() {
        return runningMean;
    }

    /** The running unbiased variance per channel, a buffer updated by training forwards and used in evaluation. */
    public Parameter runningVar() {
        return runningVar;
    }

    /** Checks the settings of either layer's {@code Config}, naming the layer type. */
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
}
