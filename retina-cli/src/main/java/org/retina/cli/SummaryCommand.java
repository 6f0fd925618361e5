package org.retina.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.retina.model.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code retina summary}: the Keras-like table of a zoo model or a model file. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print a model's layers, output shapes, parameter counts, MACs and memory.")
final class SummaryCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Zoo name or model file (.retina or .onnx).")
    String model;

    @Option(names = "--num-classes", defaultValue = "-1", description = "Classes of a zoo model (default: its own).")
    int numClasses;

    @Option(names = "--batch-size", defaultValue = "64", description = "Batch size of the training-memory estimate (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() throws IOException {
        Model m = Inputs.model(model, numClasses, 42).model();
        System.out.print(m.summary().format(batchSize));
        return 0;
    }
}
