package org.retina.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.retina.data.Batch;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.nn.Layer;
import org.retina.nn.Mode;
import org.retina.tensor.Tensor;

/**
 * {@code ./retina bench --profile}: where a training step of a benchmark network goes. Runs whole steps layer by
 * layer (forward, loss, backward; no optimizer) and times every call; prints the median and the minimum per layer
 * (the minimum is the figure least disturbed by other work on a shared machine).
 */
final class LayerProfile {
    private LayerProfile() {
    }

    static String run(Networks.Net net, double seconds) {
        Model model = net.model();
        model.build(net.input(), 0);
        List<Layer> layers = new ArrayList<>();
        for (Model.Node n : model.nodes()) {
            layers.add((Layer) n.component());
        }
        int count = layers.size();
        Batch[] batches = Measure.data(net.input(), Measure.BATCH, Measure.POOL);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        int cap = 1 << 16;
        double[][] fwd = new double[count][cap];
        double[][] bwd = new double[count][cap];
        int steps = 0;
        long end = System.nanoTime() + (long) (2 * seconds * 1e9);
        long measureFrom = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end && steps < cap) {
            boolean record = System.nanoTime() > measureFrom;
            Batch b = batches[steps % Measure.POOL];
            Tensor x = b.x();
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                x = layers.get(i).forward(x, Mode.TRAIN);
                if (record) {
                    fwd[i][steps] = (System.nanoTime() - t0) / 1e6;
                }
            }
            loss.forward(x, b.labels());
            Tensor g = loss.backward();
            for (int i = count - 1; i >= 0; i--) {
                long t0 = System.nanoTime();
                g = layers.get(i).backward(g);
                if (record) {
                    bwd[i][steps] = (System.nanoTime() - t0) / 1e6;
                }
            }
            if (record) {
                steps++;
            }
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s, batch %d, %d steps: ms per call, "
                + "median (min)%n", net.key(), Measure.BATCH, steps));
        sb.append(String.format(Locale.ROOT, "%-10s %-40s %16s %16s%n", "node", "layer", "forward", "backward"));
        double[] tot = new double[4];
        for (int i = 0; i < count; i++) {
            double[] f = Arrays.copyOf(fwd[i], steps);
            double[] bk = Arrays.copyOf(bwd[i], steps);
            double fm = Measure.median(f);
            double bm = Measure.median(bk);
            double fmin = Arrays.stream(f).min().orElse(0);
            double bmin = Arrays.stream(bk).min().orElse(0);
            tot[0] += fm;
            tot[1] += fmin;
            tot[2] += bm;
            tot[3] += bmin;
            sb.append(String.format(Locale.ROOT, "%-10s %-40s %7.3f (%6.3f) %7.3f (%6.3f)%n",
                    model.nodes().get(i).name(), layers.get(i), fm, fmin, bm, bmin));
        }
        sb.append(String.format(Locale.ROOT, "%-51s %7.3f (%6.3f) %7.3f (%6.3f)%n", "total", tot[0], tot[1], tot[2],
                tot[3]));
        sb.append(phases(net, seconds));
        return sb.toString();
    }

    /** The phases of the trainer's step on the whole model (fused blocks included): median (min) ms. */
    private static String phases(Networks.Net net, double seconds) {
        Model model = net.model();
        Batch[] batches = Measure.data(net.input(), Measure.BATCH, Measure.POOL);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        org.retina.optim.Optimizer opt = org.retina.optim.Adam.Config.of(1e-3).create(model.namedParameters());
        String[] names = {"zero grad", "model forward", "loss", "model backward", "optimizer step", "step total"};
        double[][] t = new double[names.length][1 << 16];
        int steps = 0;
        long measureFrom = System.nanoTime() + (long) (seconds * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        while (System.nanoTime() < end && steps < (1 << 16)) {
            Batch b = batches[steps % Measure.POOL];
            long t0 = System.nanoTime();
            opt.zeroGrad();
            long t1 = System.nanoTime();
            Tensor out = model.forward(b.x(), Mode.TRAIN);
            long t2 = System.nanoTime();
            loss.forward(out, b.labels());
            Tensor g = loss.backward();
            long t3 = System.nanoTime();
            model.backwardParameters(g);
            long t4 = System.nanoTime();
            opt.step();
            long t5 = System.nanoTime();
            if (t0 > measureFrom) {
                long[] marks = {t0, t1, t2, t3, t4, t5};
                for (int i = 0; i < 5; i++) {
                    t[i][steps] = (marks[i + 1] - marks[i]) / 1e6;
                }
                t[5][steps] = (t5 - t0) / 1e6;
                steps++;
            }
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "whole model, %d steps:%n", steps));
        for (int i = 0; i < names.length; i++) {
            double[] v = Arrays.copyOf(t[i], steps);
            sb.append(String.format(Locale.ROOT, "  %-16s %7.3f (%6.3f)%n", names[i], Measure.median(v),
                    Arrays.stream(v).min().orElse(0)));
        }
        return sb.toString().stripTrailing();
    }
}
