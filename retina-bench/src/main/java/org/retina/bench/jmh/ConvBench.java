package org.retina.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.retina.kernel.ConvGeometry;
import org.retina.kernel.ConvKernels;
import org.retina.kernel.Engine;

/** {@link ConvKernels} forward, backward data and backward weights on the benchmarked networks' layers. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ConvBench {
    @Param({"seed1", "seed2", "lenet1", "lenet3", "vgg", "stride2", "pointwise"})
    public String layer;
    @Param({"64"})
    public int batch;
    /** Backend threads; 0 keeps RETINA_THREADS or the core count. */
    @Param({"0"})
    public int threads;

    private ConvGeometry g;
    private int n;
    private float[] x;
    private float[] w;
    private float[] bias;
    private float[] y;
    private float[] gy;
    private float[] gx;
    private float[] gw;
    private float[] gb;

    @Setup
    public void setup() {
        if (threads > 0) {
            Engine.setDefaults(threads);
        }
        g = Data.conv(layer);
        n = layer.equals("vgg") || layer.startsWith("stride") || layer.equals("pointwise") ? Math.min(batch, 32)
                : batch;
        x = Data.random(n * g.inSize(), 1);
        w = Data.random(g.outC() * g.colRows(), 2);
        bias = Data.random(g.outC(), 3);
        y = new float[n * g.outSize()];
        gy = Data.random(n * g.outSize(), 4);
        gx = new float[x.length];
        gw = new float[w.length];
        gb = new float[g.outC()];
    }

    @Benchmark
    public float[] forward() {
        ConvKernels.forward(x, w, bias, y, n, g);
        return y;
    }

    @Benchmark
    public float[] backwardData() {
        ConvKernels.backwardData(gy, w, gx, n, g);
        return gx;
    }

    @Benchmark
    public float[] backwardWeights() {
        ConvKernels.backwardWeights(x, gy, gw, gb, n, g);
        return gw;
    }
}
