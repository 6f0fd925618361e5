package org.retina.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The memory-bound tail of a convolution block run as one step: batch norm (batch statistics in training, running
 * ones in evaluation), an activation (ReLU or tanh) and a 2x2 stride-2 pooling (max or average) over the
 * convolution's output {@code z} ({@code (n, channels, inner)}), forward and backward. Each plane goes through an
 * L1-resident scratch, so z is read once per pass instead of once per layer and no intermediate tensor is written.
 * Formulas and order of operations are those of {@link NormKernels}, {@link Activations} and {@link Pool2x2}.
 */
public final class BlockKernels {
    /** The activations a block may hold; {@code RELU6} is {@code min(max(x, 0), 6)}, MobileNet's. */
    public enum Act {
        /** No activation. */
        IDENTITY,
        /** {@code max(x, 0)}, a NaN becoming 0 as {@link Activations#relu} does. */
        RELU,
        /** {@code tanh(x)}. */
        TANH,
        /** {@code min(max(x, 0), 6)}, with Clip's rules: a NaN stays NaN. */
        RELU6,
        /** {@code x sigmoid(x)}, as {@link PointwiseKernels#silu}: evaluation only (training has no fused derivative). */
        SILU
    }
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private BlockKernels() {
    }

    /** The block's pooling: a 2x2, stride-2 window ({@link #fits}) of this geometry, max or average. */
    public record Pool(ConvGeometry geometry, boolean max) {
    }

    /** What follows the normalization: the activation, and the pooling or null. */
    public record Tail(Act act, Pool pool) {
    }

    /** The convolution's output {@code z} seen as {@code (n, channels, inner)}. */
    public record Planes(int n, int channels, int inner) {
    }

    /**
     * A batch norm's arrays: {@code gamma}/{@code beta} (null without affine), their gradients (read only by
     * backward; null when frozen or without affine), the running statistics, {@code eps} and {@code momentum}.
     */
    public record Norm(float[] gamma, float[] beta, float[] gGamma, float[] gBeta, float[] runningMean,
                       float[] runningVar, float eps, float momentum) {
    }

    /** What a training forward leaves per channel for backward: batch mean, {@code 1/sqrt(var + eps)}, affine map. */
    public record Stats(float[] mean, float[] invStd, float[] scale, float[] shift) {
        /** Arrays for {@code channels} channels. */
        public static Stats of(int channels) {
            return new Stats(new float[channels], new float[channels], new float[channels], new float[channels]);
        }
    }

    /** Whether a pooling geometry can be fused: the plain 2x2, stride-2 window. */
    public static boolean fits(ConvGeometry pool) {
        return Pool2x2.applies(pool);
    }

    /**
     * Training forward. With {@code norm}: per channel, the batch mean and {@code 1/sqrt(var + eps)} into
     * {@code stats}, the running statistics moved as {@link NormKernels#batchNormTrain} does and the affine map
     * into {@code stats.scale/shift}; then {@code y = pool(act(z*scale + shift))}. Without ({@code norm} null) the
     * affine map is the identity and {@code stats} is not touched. {@code arg} receives max-pool arg-maxes;
     * {@code keep}, when not null, the activations (before pooling), which tanh's backward reads.
     */
    public static void trainForward(float[] z, Planes p, Norm norm, Stats stats, Tail tail, float[] y, int[] arg,
                                    float[] keep) {
        if (tail.act() == Act.SILU) {
            throw new IllegalArgumentException("BlockKernels: SiLU has no fused training path; run the block's parts");
        }
        int n = p.n();
        int channels = p.channels();
        int inner = p.inner();
        int m = n * inner;
        float[] scale = norm == null ? null : stats.scale();
        float[] shift = norm == null ? null : stats.shift();
        Engine.current().parallelFor(channels, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                if (norm != null) {
                    double sum = 0;
                    for (int s = 0; s < n; s++) {
                        sum += NormKernels.sum(z, (s * channels + ch) * inner, inner);
                    }
                    double mu = sum / m;
                    double sq = 0;
                    for (int s = 0; s < n; s++) {
                        sq += NormKernels.squaredDeviations(z, (s * channels + ch) * inner, inner, (float) mu);
                    }
                    double shiftMean = (float) mu - mu;
                    double var = Math.max(0, sq / m - shiftMean * shiftMean);
                    double inv = 1.0 / Math.sqrt(var + norm.eps());
                    stats.mean()[ch] = (float) mu;
                    stats.invStd()[ch] = (float) inv;
                    float[] rm = norm.runningMean();
                    float[] rv = norm.runningVar();
                    double momentum = norm.momentum();
                    rm[ch] = (float) ((1.0 - momentum) * rm[ch] + momentum * mu);
                    rv[ch] = (float) ((1.0 - momentum) * rv[ch] + momentum * var * m / (m - 1));
                    double sc = norm.gamma() == null ? inv : norm.gamma()[ch] * inv;
                    scale[ch] = (float) sc;
                    shift[ch] = (float) ((norm.beta() == null ? 0.0 : norm.beta()[ch]) - mu * sc);
                }
                applyChannel(z, p, ch, scale, shift, tail, y, arg, keep);
            }
        });
    }

    /**
     * Evaluation forward: {@code y = pool(act(z*scale + shift))} with the affine map of the running statistics
     * already in {@code scale}/{@code shift} (or the identity when they are null). Changes nothing but {@code y}.
     */
    public static void evalForward(float[] z, Planes p, float[] scale, float[] shift, Tail tail, float[] y) {
        Engine.current().parallelFor(p.channels(), (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                applyChannel(z, p, ch, scale, shift, tail, y, null, null);
            }
        });
    }

    /** The affine map of evaluation: {@code scale = gamma / sqrt(runningVar + eps)}, {@code shift = beta - mean*scale}. */
    public static void evalAffine(Norm norm, float[] scale, float[] shift) {
        float[] gamma = norm.gamma();
        float[] beta = norm.beta();
        for (int ch = 0; ch < norm.runningMean().length; ch++) {
            double inv = 1.0 / Math.sqrt((double) norm.runningVar()[ch] + norm.eps());
            double sc = gamma == null ? inv : gamma[ch] * inv;
            scale[ch] = (float) sc;
            shift[ch] = (float) ((beta == null ? 0.0 : beta[ch]) - norm.runningMean()[ch] * sc);
        }
    }

    private static void applyChannel(float[] z, Planes p, int ch, float[] scale, float[] shift, Tail tail, float[] y,
                                     int[] arg, float[] keep) {
        int n = p.n();
        int channels = p.channels();
        int inner = p.inner();
        Act act = tail.act();
        Pool pool = tail.pool();
        float a = scale == null ? 1f : scale[ch];
        float b = shift == null ? 0f : shift[ch];
        int outPlane = pool == null ? inner : pool.geometry().outPlane();
        float[] scratch = pool == null || keep != null ? null : Workspace.get(Workspace.BLOCK, inner + 2 * L);
        for (int s = 0; s < n; s++) {
            int plane = s * channels + ch;
            int zOff = plane * inner;
            if (pool == null) {
                activate(z, zOff, a, b, act, keep != null ? keep : y, zOff, inner);
                if (keep != null) {
                    System.arraycopy(keep, zOff, y, zOff, inner);
                }
                continue;
            }
            float[] t = keep != null ? keep : scratch;
            int tOff = keep != null ? zOff : 0;
            activate(z, zOff, a, b, act, t, tOff, inner);
            if (pool.max()) {
                Pool2x2.max(t, tOff, y, plane * outPlane, arg, pool.geometry());
            } else {
                Pool2x2.avg(t, tOff, y, plane * outPlane, pool.geometry());
            }
        }
    }

    /** {@code t = act(z*a + b)} over a run (ReLU keeps a NaN as 0, as {@link Activations#relu}). */
    static void activate(float[] z, int zOff, float a, float b, Act act, float[] t, int tOff, int len) {
        boolean affine = a != 1f || b != 0f;
        if (affine) {
            NormKernels.affine(z, t, zOff, tOff, len, a, b);
        } else if (z != t || zOff != tOff) {
            System.arraycopy(z, zOff, t, tOff, len);
        }
        if (act == Act.RELU) {
            relu(t, tOff, len);
        } else if (act == Act.TANH) {
            VMath.tanh(t, tOff, t, tOff, len);
        } else if (act == Act.RELU6) {
            for (int i = tOff; i < tOff + len; i++) { // Clip's formula: a NaN stays NaN
                t[i] = Math.min(Math.max(t[i], 0f), 6f);
            }
        } else if (act == Act.SILU) {
            PointwiseKernels.silu(t, tOff, t, tOff, len, Workspace.get(Workspace.EPILOGUE, len), 0);
        }
    }

    private static void relu(float[] t, int off, int len) {
        int i = 0;
        FloatVector zero = FloatVector.zero(S);
        for (boolean vec = Engine.vectorsNow(); vec && i <= len - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, t, off + i);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(t, off + i);
        }
        for (; i < len; i++) {
            t[off + i] = t[off + i] > 0f ? t[off + i] : 0f;
        }
    }

    /**
     * Training backward: {@code gz = d(sum y*gy)/dz} from the gradient of the block's output. The gradient of the
     * activation output is routed through the pooling, masked by the activation's derivative (ReLU: where
     * {@code z*scale + shift > 0}; tanh: times {@code 1 - keep^2}), then taken through the batch statistics as
     * {@link NormKernels#batchNormBackward} does, adding {@code sum(g*xhat)} to {@code norm.gGamma} and
     * {@code sum(g)} to {@code norm.gBeta} (when not null). {@code norm} and {@code stats} are the forward's.
     * Overwrites {@code gz}, which may be {@code gy} itself when there is no pooling (each value is read before it is
     * written).
     */
    public static void trainBackward(float[] gy, float[] z, Planes p, Norm norm, Stats stats, Tail tail, int[] arg,
                                     float[] keep, float[] gz) {
        int n = p.n();
        int channels = p.channels();
        int inner = p.inner();
        int m = n * inner;
        Act act = tail.act();
        Pool pool = tail.pool();
        float[] mean = norm == null ? null : stats.mean();
        float[] invStd = norm == null ? null : stats.invStd();
        float[] scale = norm == null ? null : stats.scale();
        float[] shift = norm == null ? null : stats.shift();
        float[] gamma = norm == null ? null : norm.gamma();
        float[] gGamma = norm == null ? null : norm.gGamma();
        float[] gBeta = norm == null ? null : norm.gBeta();
        Engine.current().parallelFor(channels, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                float a = scale == null ? 1f : scale[ch];
                float b = shift == null ? 0f : shift[ch];
                float meanF = mean == null ? 0f : mean[ch];
                double sumG = 0;
                double sumGDev = 0;
                for (int s = 0; s < n; s++) {
                    int plane = s * channels + ch;
                    int zOff = plane * inner;
                    if (pool == null) {
                        System.arraycopy(gy, zOff, gz, zOff, inner);
                    } else if (pool.max()) {
                        Pool2x2.maxBackward(gy, plane * pool.geometry().outPlane(), arg, gz, zOff, pool.geometry());
                    } else {
                        Pool2x2.avgBackward(gy, plane * pool.geometry().outPlane(), gz, zOff, pool.geometry());
                    }
                    if (act == Act.RELU || act == Act.RELU6) {
                        reluMask(gz, z, zOff, inner, a, b, act == Act.RELU6);
                    } else if (act == Act.TANH) {
                        tanhGrad(gz, keep, zOff, inner);
                    }
                    if (mean != null) {
                        sumG += NormKernels.sum(gz, zOff, inner);
                        sumGDev += NormKernels.dotDeviations(gz, z, zOff, inner, meanF);
                    }
                }
                if (mean == null) {
                    continue;
                }
                double mu = mean[ch];
                double inv = invStd[ch];
                double sumGXhat = (sumGDev + (meanF - mu) * sumG) * inv;
                if (gGamma != null) {
                    gGamma[ch] += (float) sumGXhat;
                    gBeta[ch] += (float) sumG;
                }
                double k = (gamma == null ? 1.0 : gamma[ch]) * inv;
                double meanG = sumG / m;
                double meanGXhat = sumGXhat / m;
                double cb = -k * inv * meanGXhat;
                double cc = -k * meanG - cb * mu;
                for (int s = 0; s < n; s++) {
                    int zOff = (s * channels + ch) * inner;
                    NormKernels.combine(gz, z, gz, zOff, inner, (float) k, (float) cb, (float) cc);
                }
            }
        });
    }

    /**
     * {@code g = u > 0 ? g : 0} over a run, {@code u = z*a + b} the recomputed batch-norm output: ReLU's derivative;
     * with {@code six}, ReLU6's, which also stops the gradient from {@code u >= 6} (Clip's rule).
     */
    private static void reluMask(float[] g, float[] z, int off, int len, float a, float b, boolean six) {
        int i = 0;
        FloatVector zero = FloatVector.zero(S);
        FloatVector va = FloatVector.broadcast(S, a);
        FloatVector vb = FloatVector.broadcast(S, b);
        for (boolean vec = Engine.vectorsNow(); vec && i <= len - L; i += L) {
            FloatVector t = FloatVector.fromArray(S, z, off + i).fma(va, vb);
            var pass = t.compare(VectorOperators.GT, 0f);
            if (six) {
                pass = pass.and(t.compare(VectorOperators.LT, 6f));
            }
            zero.blend(FloatVector.fromArray(S, g, off + i), pass).intoArray(g, off + i);
        }
        for (; i < len; i++) {
            float u = Math.fma(z[off + i], a, b);
            g[off + i] = u > 0f && (!six || u < 6f) ? g[off + i] : 0f;
        }
    }

    /** {@code g *= 1 - t^2} over a run: tanh's derivative from its output. */
    private static void tanhGrad(float[] g, float[] t, int off, int len) {
        int i = 0;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (boolean vec = Engine.vectorsNow(); vec && i <= len - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, t, off + i);
            FloatVector.fromArray(S, g, off + i).mul(v.neg().fma(v, one)).intoArray(g, off + i);
        }
        for (; i < len; i++) {
            g[off + i] = g[off + i] * Math.fma(-t[off + i], t[off + i], 1f);
        }
    }
}
