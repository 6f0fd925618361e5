package org.retina.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.retina.kernel.Activations;
import org.retina.kernel.BlockKernels;
import org.retina.kernel.ConvGeometry;
import org.retina.kernel.NormKernels;
import org.retina.kernel.PoolKernels;

/**
 * The memory-bound kernels on the fashion-cnn network's first activation {@code (64, 16, 28, 28)}: ReLU, tanh, 2x2
 * max pooling, batch norm, and the fused batch norm + ReLU + pooling block that replaces the three of them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ElementwiseBench {
    private static final int N = 64;
    private static final int C = 16;
    private static final int H = 28;
    private final ConvGeometry pool = new ConvGeometry(C, H, H, C, H / 2, H / 2, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1, C);
    private float[] x;
    private float[] y;
    private float[] gy;
    private float[] gx;
    private float[] small;
    private float[] smallGrad;
    private int[] arg;
    private final float[] gamma = new float[C];
    private final float[] beta = new float[C];
    private final float[] runningMean = new float[C];
    private final float[] runningVar = new float[C];
    private final float[] mean = new float[C];
    private final float[] invStd = new float[C];
    private final float[] gGamma = new float[C];
    private final float[] gBeta = new float[C];
    private final BlockKernels.Planes planes = new BlockKernels.Planes(N, C, H * H);
    private final BlockKernels.Norm norm = new BlockKernels.Norm(gamma, beta, gGamma, gBeta, runningMean, runningVar,
            1e-5f, 0.1f);
    private final BlockKernels.Stats stats = BlockKernels.Stats.of(C);
    private final BlockKernels.Tail relu = new BlockKernels.Tail(BlockKernels.Act.RELU,
            new BlockKernels.Pool(pool, true));

    @Setup
    public void setup() {
        x = Data.random(N * C * H * H, 1);
        y = new float[x.length];
        gy = Data.random(x.length, 2);
        gx = new float[x.length];
        small = new float[x.length / 4];
        smallGrad = Data.random(x.length / 4, 3);
        arg = new int[x.length / 4];
        java.util.Arrays.fill(gamma, 1f);
        java.util.Arrays.fill(runningVar, 1f);
    }

    @Benchmark
    public float[] relu() {
        Activations.relu(x, y, x.length);
        return y;
    }

    @Benchmark
    public float[] tanh() {
        Activations.tanh(x, y, x.length);
        return y;
    }

    @Benchmark
    public float[] maxPool() {
        PoolKernels.maxForward(x, small, arg, N, pool);
        return small;
    }

    @Benchmark
    public float[] maxPoolBackward() {
        PoolKernels.maxBackward(smallGrad, arg, gx, N, pool);
        return gx;
    }

    @Benchmark
    public float[] batchNormTrain() {
        NormKernels.batchNormTrain(x, y, gamma, beta, runningMean, runningVar, mean, invStd, N, C, H * H, 1e-5f,
                0.1f);
        return y;
    }

    @Benchmark
    public float[] batchNormBackward() {
        NormKernels.batchNormBackward(x, gy, gx, gamma, gGamma, gBeta, mean, invStd, N, C, H * H);
        return gx;
    }

    @Benchmark
    public float[] fusedNormReluPool() {
        BlockKernels.trainForward(x, planes, norm, stats, relu, small, arg, null);
        return small;
    }

    @Benchmark
    public float[] fusedNormReluPoolBackward() {
        BlockKernels.trainBackward(smallGrad, x, planes, norm, stats, relu, arg, null, gx);
        return gx;
    }
}
