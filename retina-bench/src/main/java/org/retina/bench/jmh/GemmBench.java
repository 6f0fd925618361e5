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
import org.retina.kernel.Engine;
import org.retina.kernel.Gemm;

/** {@link Gemm#sgemm} on square and network-shaped products, each transposition; time per call. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class GemmBench {
    /** {@code m x n x k}. */
    @Param({"1024x1024x1024", "256x256x256", "64x10x1568", "10x1568x64", "64x1568x10", "64x84x120"})
    public String shape;
    @Param({"NN", "NT", "TN"})
    public String trans;
    /** Backend threads; 0 keeps RETINA_THREADS or the core count. */
    @Param({"0"})
    public int threads;

    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setup() {
        if (threads > 0) {
            Engine.setDefaults(threads);
        }
        String[] d = shape.split("x");
        m = Integer.parseInt(d[0]);
        n = Integer.parseInt(d[1]);
        k = Integer.parseInt(d[2]);
        a = Data.random(m * k, 1);
        b = Data.random(k * n, 2);
        c = new float[m * n];
    }

    @Benchmark
    public float[] sgemm() {
        boolean ta = trans.charAt(0) == 'T';
        boolean tb = trans.charAt(1) == 'T';
        Gemm.sgemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, c, 0, n, false);
        return c;
    }
}
