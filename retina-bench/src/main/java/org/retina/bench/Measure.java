package org.retina.bench;

import java.util.Arrays;
import java.util.Map;
import org.retina.data.Batch;
import org.retina.kernel.ConvGeometry;
import org.retina.kernel.ConvKernels;
import org.retina.kernel.Gemm;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.nn.Mode;
import org.retina.optim.Adam;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.train.Trainer;

/** Retina's side of the benchmarks: each measurement warms up for as long as it then measures. */
final class Measure {
    static final int BATCH = 64;
    /** Distinct batches cycled through, as a loader would hand them out. */
    static final int POOL = 16;

    /** The least warm-up of a measurement, in seconds. */
    static final double MIN_WARMUP = 5;
    private final double seconds;

    Measure(double seconds) {
        this.seconds = seconds;
    }

    /**
     * Seconds per call of {@code body}, one sample per call, after a warm-up as long as the measurement and at least
     * {@link #MIN_WARMUP} seconds: the JIT compiles each network's own paths (shapes, plans) during it.
     */
    static double[] timed(Runnable body, double seconds, int minIters) {
        long end = System.nanoTime() + (long) (Math.max(seconds, MIN_WARMUP) * 1e9);
        while (System.nanoTime() < end) {
            body.run();
        }
        double[] t = new double[1024];
        int n = 0;
        end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end || n < minIters) {
            long t0 = System.nanoTime();
            body.run();
            if (n == t.length) {
                t = Arrays.copyOf(t, 2 * n);
            }
            t[n++] = (System.nanoTime() - t0) / 1e9;
        }
        return Arrays.copyOf(t, n);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /** Random images in [0, 1) and labels in [0, 10), {@code count} batches of {@code batch}. */
    static Batch[] data(Shape sample, int batch, int count) {
        Rng rng = new Rng(7);
        Batch[] out = new Batch[count];
        for (int b = 0; b < count; b++) {
            Tensor x = Tensor.zeros(sample.withBatch(batch));
            float[] d = x.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) rng.nextDouble();
            }
            int[] labels = new int[batch];
            int[] idx = new int[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = rng.nextInt(10);
                idx[i] = b * batch + i;
            }
            out[b] = new Batch(x, labels, idx);
        }
        return out;
    }

    /** A trainer for the network: cross-entropy and Adam (lr 1e-3), as the PyTorch script. */
    static Trainer trainer(Model model) {
        return new Trainer(model, new SoftmaxCrossEntropy(), Adam.Config.of(1e-3).create(model.namedParameters()));
    }

    void network(Networks.Net net, Map<String, Double> results) {
        training(net, results);
        inference(net, results);
    }

    /** Training images/s: forward, cross-entropy, backward and an Adam step per batch of the network's size. */
    void training(Networks.Net net, Map<String, Double> results) {
        Model model = net.model();
        model.build(net.input(), 0);
        int batch = net.batch();
        Batch[] batches = data(net.input(), batch, POOL);
        Trainer trainer = trainer(model);
        int[] predicted = new int[batch];
        int[] i = {0};
        double[] t = timed(() -> trainer.step(batches[i[0]++ % POOL], predicted), seconds, 5);
        results.put(net.key() + ".train_ips", batch / median(t));
    }

    /** Inference images/s at batch 64 and latency at batch 1, in eval mode. */
    void inference(Networks.Net net, Map<String, Double> results) {
        Model model = net.model();
        if (!model.isBuilt()) {
            model.build(net.input(), 0);
        }
        Batch[] batches = data(net.input(), BATCH, POOL);
        int[] i = {0};
        double[] t = timed(() -> model.forward(batches[i[0]++ % POOL].x(), Mode.EVAL), seconds, 5);
        results.put(net.key() + ".infer64_ips", BATCH / median(t));
        Tensor[] ones = new Tensor[POOL];
        for (int b = 0; b < POOL; b++) {
            ones[b] = batches[b].x().slice(0, 1);
        }
        t = timed(() -> model.forward(ones[i[0]++ % POOL], Mode.EVAL), seconds, 50);
        results.put(net.key() + ".infer1_ms", 1e3 * median(t));
    }

    void gemm(Map<String, Double> results) {
        int n = 1024;
        float[] a = random(n * n, 1);
        float[] b = random(n * n, 2);
        float[] c = new float[n * n];
        double[] t = timed(() -> Gemm.sgemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false), seconds, 5);
        results.put("gemm1024_gflops", 2.0 * n * n * n / median(t) / 1e9);
    }

    /** The VGG-style layer: batch 32, 64 -> 64 channels, 3x3, pad 1, 56x56; forward, backward data and weights. */
    void vggConv(Map<String, Double> results) {
        int n = 32;
        ConvGeometry g = new ConvGeometry(64, 56, 56, 64, 56, 56, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        float[] x = random(n * g.inSize(), 3);
        float[] w = random(64 * g.colRows(), 4);
        float[] bias = random(64, 5);
        float[] y = new float[n * g.outSize()];
        float[] gy = random(n * g.outSize(), 6);
        float[] gx = new float[n * g.inSize()];
        float[] gw = new float[w.length];
        float[] gb = new float[64];
        double[] t = timed(() -> {
            Arrays.fill(gw, 0f);
            Arrays.fill(gb, 0f);
            ConvKernels.forward(x, w, bias, y, n, g);
            ConvKernels.backwardWeights(x, gy, gw, gb, n, g);
            ConvKernels.backwardData(gy, w, gx, n, g);
        }, seconds, 3);
        results.put("vggconv_gflops", 3.0 * 2 * n * g.macs() / median(t) / 1e9);
    }

    static float[] random(int size, long seed) {
        Rng rng = new Rng(seed);
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) rng.nextDouble();
        }
        return a;
    }
}
