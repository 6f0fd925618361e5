package org.retina.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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

    @Option(names = "--out", description = "The model file to write (.retina).")
    Path out;

    @Option(names = "--check", description = "Only check: list every node that does not import, all at once"
            + " (exit 2 when there is one), and write nothing.")
    boolean check;

    @Override
    public Integer call() throws IOException {
        if (file.toString().endsWith(".retina")) {
            throw new Errors.UserError(file + " is a Retina model file already; import reads ONNX files (.onnx)");
        }
        if (check) {
            List<String> problems = Onnx.check(Files.readAllBytes(file), file.toString());
            if (problems.isEmpty()) {
                System.out.println(file + ": every node imports");
                return 0;
            }
            for (String p : problems) {
                System.out.println(p);
            }
            System.err.println("retina: " + file + ": " + problems.size() + " node" + (problems.size() == 1 ? ""
                    : "s") + " cannot be imported (listed above)");
            return 2;
        }
        if (out == null) {
            throw new Errors.UserError("import needs --out FILE.retina (or --check to only check the file)");
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
