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
        sb.append(String.format(Locale.ROOT, "%-51s %7.3f (%6.3f) %7.3f (%6.3f)", "total", tot[0], tot[1], tot[2],
                tot[3]));
        return sb.toString();
    }
}
