package org.retina.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.retina.io.ModelFile;
import org.retina.loss.Loss;
import org.retina.loss.MeanSquaredError;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.optim.Optimizer;
import org.retina.optim.OptimizerConfig;
import org.retina.tensor.Tensor;

/** A trainer rebuilt from a training checkpoint, for {@link Trainer#resume}. */
final class Resume {
    private Resume() {
    }

    @SuppressWarnings("unchecked")
    static Trainer from(Path checkpoint, OptimizerConfig optimizerConfig, Trainer.Options options)
            throws IOException {
        ModelFile.Contents c = ModelFile.read(checkpoint);
        Object st = c.metadata().get("trainer");
        if (!(st instanceof Map<?, ?> raw)) {
            throw new IOException(checkpoint + ": not a training checkpoint (no trainer state inside)");
        }
        Map<String, Object> s = (Map<String, Object>) raw;
        double lr = ((Number) s.get("baseLearningRate")).doubleValue();
        OptimizerConfig oc = optimizerConfig != null ? optimizerConfig
                : OptimizerConfig.named((String) s.get("optimizer"), lr);
        Optimizer opt = oc.create(c.model().namedParameters());
        Map<String, Tensor> saved = new LinkedHashMap<>();
        c.extras().forEach((k, v) -> {
            if (k.startsWith("optimizer/")) {
                saved.put(k.substring("optimizer/".length()), v);
            }
        });
        opt.loadState(saved);
        Loss loss = "mse".equals(s.get("loss")) ? new MeanSquaredError() : new SoftmaxCrossEntropy();
        Trainer t = new Trainer(c.model(), loss, opt, options.withSeed(((Number) s.get("seed")).longValue()));
        t.restore(((Number) s.get("completedEpochs")).intValue(), ((Number) s.get("steps")).longValue(),
                History.fromMaps((List<Object>) s.getOrDefault("history", new ArrayList<>())));
        return t;
    }
}
