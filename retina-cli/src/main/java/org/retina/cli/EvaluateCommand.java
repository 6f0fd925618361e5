package org.retina.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.train.Evaluation;
import org.retina.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code retina evaluate}: loss, accuracy, per-class accuracy and confusion matrix of a model on a test set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a saved model on a dataset's test split (or training split with --split train).")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model file (.retina or .onnx).")
    String model;

    @Option(names = "--dataset", description = "mnist, fashion-mnist, cifar10, or a folder of images (DIR/train/<class>, DIR/test/<class>) (default: the one the model was trained on).")
    String dataset;

    @Option(names = "--data", description = "Folder holding the dataset's files (default: the dataset store).")
    Path data;

    @Option(names = "--split", defaultValue = "test", description = "test or train (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--device", defaultValue = "cpu", description = "Where to run: cpu or cuda (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--batch-size", defaultValue = "256", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws IOException {
        threads.apply();
        Inputs.requireModelFile(model, "evaluate");
        Inputs.LoadedModel lm = Inputs.model(model, 0, 0);
        String name = dataset != null ? dataset : (String) lm.metadata().get("dataset");
        if (name == null) {
            throw new Errors.UserError("the model file does not say which dataset it was trained on: pass --dataset");
        }
        DatasetStore.Split s = switch (split) {
            case "test" -> DatasetStore.Split.TEST;
            case "train" -> DatasetStore.Split.TRAIN;
            default -> throw new Errors.UserError("--split " + split + ": expected test or train");
        };
        // a model fine-tuned on fewer classes is evaluated on the same view of the dataset
        Dataset d = TrainData.split(name, data, (String) lm.metadata().get("relabel"), s, lm.model().inputShape(),
                System.out);
        d = Inputs.normalizedLike(d, lm.metadata());
        Evaluation ev = Trainer.evaluate(lm.model(), new SoftmaxCrossEntropy(), d, batchSize, device);
        System.out.println("Model " + lm.source() + " on " + name + " (" + s + "):");
        System.out.print(ev.format());
        return 0;
    }
}
