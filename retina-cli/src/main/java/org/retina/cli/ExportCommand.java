package org.retina.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.retina.model.Model;
import org.retina.onnx.Onnx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code retina export}: a model as an ONNX file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a model (a .retina file, or a zoo name) to ONNX (opset 19) for ONNX Runtime and other"
            + " tools; the batch dimension stays open (N)."})
final class ExportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL", description = "Model file (.retina or .onnx) or zoo name.")
    String model;

    @Option(names = "--out", required = true, description = "The ONNX file to write (.onnx).")
    Path out;

    @Option(names = "--num-classes", defaultValue = "-1", description = "Classes of a zoo model (default: its own).")
    int numClasses;

    @Override
    public Integer call() throws IOException {
        Inputs.LoadedModel lm = Inputs.model(model, numClasses, 42);
        Model m = lm.model();
        Onnx.write(m, Onnx.metadataProps(lm.metadata()), out);
        System.out.printf("Exported %s: %d nodes, %,d parameters, input %s, output %s; saved to %s%n", lm.source(),
                m.nodes().size(), m.summary().totalParameters(), m.inputShape().toBatchString(),
                m.outputShape().toBatchString(), out);
        return 0;
    }
}
