package org.retina.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.retina.io.ModelFile;
import org.retina.model.Model;
import org.retina.onnx.Imported;
import org.retina.onnx.Onnx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code retina import}: an ONNX model into a Retina model file. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import an ONNX model (opsets 6 to 21) as a Retina model file.",
            "An op or attribute Retina cannot represent is an error naming the node, the op and the attribute."})
final class ImportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE.onnx", description = "The ONNX model.")
    Path file;

    @Option(names = "--out", required = true, description = "The model file to write (.retina).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (file.toString().endsWith(".retina")) {
            throw new Errors.UserError(file + " is a Retina model file already; import reads ONNX files (.onnx)");
        }
        Imported m = Onnx.read(file);
        Model model = m.model();
        Map<String, Object> meta = new LinkedHashMap<>(m.retinaMetadata());
        meta.put("importedFrom", file.getFileName().toString());
        if (!m.producer().isEmpty()) {
            meta.put("onnxProducer", m.producer());
        }
        ModelFile.save(out, model, meta);
        System.out.printf("Imported %s (opset %d%s): %d nodes, %,d parameters, input %s, output %s; saved to %s%n",
                file, m.opset(), m.producer().isEmpty() ? "" : ", from " + m.producer(), model.nodes().size(),
                model.summary().totalParameters(), model.inputShape().toBatchString(),
                model.outputShape().toBatchString(), out);
        return 0;
    }
}
