package org.retina.train;

import java.util.function.UnaryOperator;
import org.retina.data.Batch;
import org.retina.data.DataLoader;
import org.retina.data.Dataset;
import org.retina.loss.Loss;
import org.retina.loss.Outputs;
import org.retina.model.Model;
import org.retina.tensor.Tensor;

/** The evaluation loop: loss, accuracy and confusion matrix of a model's outputs, wherever they are computed. */
final class Evaluator {
    private Evaluator() {
    }

    static Evaluation evaluate(Model model, Loss loss, Dataset data, int batchSize,
                                       java.util.function.UnaryOperator<Tensor> forward) {
        int classes = Math.max(data.numClasses(), model.outputShape().size());
        int[][] confusion = new int[classes][classes];
        double lossSum = 0;
        long correct = 0;
        int[] predicted = new int[batchSize];
        DataLoader loader = DataLoader.of(data, batchSize);
        try (DataLoader.Epoch e = loader.epoch(0)) {
            for (Batch batch : e) {
                Tensor out = forward.apply(batch.x());
                lossSum += loss.forward(out, batch.labels()) * batch.size();
                int n = batch.size();
                Outputs.argmax(out, predicted);
                for (int i = 0; i < n; i++) {
                    confusion[batch.labels()[i]][predicted[i]]++;
                    if (predicted[i] == batch.labels()[i]) {
                        correct++;
                    }
                }
            }
        }
        return new Evaluation(lossSum / data.size(), (double) correct / data.size(), confusion, data.classNames());
    }
}
