package org.retina.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.retina.model.Model;
import org.retina.nn.Layer;
import org.retina.nn.Mode;
import org.retina.tensor.Tensor;

/**
 * {@code ./retina bench --profile}: forward and backward time of each layer of a benchmark network at batch 64,
 * layer by layer (medians over repeated runs), to see where a training step goes.
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
        Tensor x0 = Measure.data(net.input(), Measure.BATCH, 1)[0].x();
        int count = layers.size();
        double[][] fwd = new double[count][];
        double[][] bwd = new double[count][];
        Tensor[] inputs = new Tensor[count + 1];
        inputs[0] = x0;
        for (int i = 0; i < count; i++) {
            inputs[i + 1] = layers.get(i).forward(inputs[i], Mode.TRAIN);
        }
        double each = seconds / count;
        for (int i = 0; i < count; i++) {
            Layer l = layers.get(i);
            Tensor in = inputs[i];
            Tensor grad = inputs[i + 1].copy();
            fwd[i] = Measure.timed(() -> l.forward(in, Mode.TRAIN), each / 2, 20);
            bwd[i] = Measure.timed(() -> {
                l.forward(in, Mode.TRAIN);
                l.backward(grad);
            }, each / 2, 20);
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s, batch %d: ms per call%n", net.key(),
                Measure.BATCH));
        sb.append(String.format(Locale.ROOT, "%-14s %-42s %9s %9s%n", "node", "layer", "forward", "backward"));
        double tf = 0;
        double tb = 0;
        for (int i = 0; i < count; i++) {
            double f = Measure.median(fwd[i]) * 1e3;
            double b = Measure.median(bwd[i]) * 1e3 - f;
            tf += f;
            tb += b;
            sb.append(String.format(Locale.ROOT, "%-14s %-42s %9.3f %9.3f%n", model.nodes().get(i).name(),
                    layers.get(i), f, b));
        }
        sb.append(String.format(Locale.ROOT, "%-57s %9.3f %9.3f", "total", tf, tb));
        return sb.toString();
    }
}
