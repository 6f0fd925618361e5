package org.retina.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.retina.io.AtomicFile;
import org.retina.io.Json;
import org.retina.model.Model;
import org.retina.onnx.proto.Onnx.ModelProto;

/** Reads ONNX files into Retina graphs and writes Retina models as ONNX files. */
public final class Onnx {
    /** The file name suffix of ONNX models. */
    public static final String SUFFIX = ".onnx";
    /** The metadata property that keeps a Retina model file's metadata (class names, dataset) as JSON. */
    public static final String RETINA_METADATA = "retina.metadata";

    private Onnx() {
    }

    /** Whether {@code file} is named like an ONNX model. */
    public static boolean isOnnxFile(Path file) {
        return file.getFileName() != null && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT)
                .endsWith(SUFFIX);
    }

    /**
     * Imports an ONNX model: the graph built for its input's per-sample shape, with its weights.
     *
     * @throws IOException   when the file cannot be read
     * @throws OnnxException when it is not ONNX, is damaged, or uses what Retina cannot represent
     */
    public static Imported read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.toString());
    }

    /** Imports ONNX model bytes; {@code name} names them in errors. */
    public static Imported read(byte[] bytes, String name) {
        return OnnxImporter.run(parse(bytes, name));
    }

    /** The ops of the default domain the importer takes (each within the limits its errors state). */
    static final java.util.Set<String> SUPPORTED_OPS = java.util.Set.of(
            "Abs", "Add", "AveragePool", "BatchNormalization", "Cast", "Clip", "Concat", "Constant",
            "ConstantOfShape", "Conv", "Div", "Dropout", "Elu", "Erf", "Flatten", "Gather", "Gemm",
            "GlobalAveragePool", "GlobalMaxPool", "HardSigmoid", "HardSwish", "Identity", "LRN",
            "LayerNormalization", "LeakyRelu", "LogSoftmax", "LpPool", "MatMul", "MaxPool", "Mul", "Neg", "PRelu",
            "Pad", "Pow", "ReduceMax", "ReduceMean", "ReduceSum", "Relu", "Reshape", "Selu", "Shape", "Sigmoid", "Slice",
            "Softmax", "Softplus", "Softsign", "Split", "Sqrt", "Squeeze", "Sub", "Sum", "Tanh", "Transpose",
            "Unsqueeze");

    /**
     * Every problem that keeps {@code bytes} from importing, at once: one line for each node whose op (or domain)
     * the importer does not take, naming node, op and opset; when every op is known, the first error the import
     * itself meets (an attribute, a shape). Empty when the model imports.
     */
    public static java.util.List<String> check(byte[] bytes, String name) {
        ModelProto proto = parse(bytes, name);
        int opset = proto.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty()
                || o.getDomain().equals("ai.onnx")).mapToInt(o -> (int) o.getVersion()).max().orElse(0);
        java.util.List<String> problems = new java.util.ArrayList<>();
        for (org.retina.onnx.proto.Onnx.NodeProto n : proto.getGraph().getNodeList()) {
            boolean foreign = !n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx");
            if (foreign || !SUPPORTED_OPS.contains(n.getOpType())) {
                problems.add(OnnxException.where(n) + ", opset " + opset + ": " + (foreign ? "domain '" + n.getDomain()
                        + "' is not imported (the default ONNX domain only)" : "op " + n.getOpType()
                        + " is not supported by Retina's ONNX import"));
            }
        }
        if (problems.isEmpty()) {
            try {
                OnnxImporter.run(proto);
            } catch (OnnxException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    static ModelProto parse(byte[] bytes, String name) {
        if (bytes.length == 0) {
            throw new OnnxException(name + ": not a valid ONNX file (empty)");
        }
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxException(name + ": not a valid ONNX file (truncated or not a protobuf model: "
                    + e.getMessage() + ")");
        }
        if (proto.getIrVersion() < 1 || !proto.hasGraph() || proto.getOpsetImportCount() == 0) {
            throw new OnnxException(name + ": not an ONNX model (" + (proto.getIrVersion() < 1 ? "no IR version"
                    : !proto.hasGraph() ? "no graph" : "no opset") + "); expected a file saved by an ONNX exporter");
        }
        return proto;
    }

    /** The ONNX model of a built Retina model, {@code metadata} kept as metadata properties. */
    public static byte[] toBytes(Model model, Map<String, String> metadata) {
        return OnnxExporter.export(model, metadata).toByteArray();
    }

    /** The metadata properties that carry a Retina model file's metadata into an ONNX file. */
    public static Map<String, String> metadataProps(Map<String, Object> retinaMetadata) {
        return retinaMetadata.isEmpty() ? Map.of() : Map.of(RETINA_METADATA, Json.write(retinaMetadata));
    }

    /** Writes {@code model} as an ONNX file, atomically (a temporary file renamed into place). */
    public static void write(Model model, Map<String, String> metadata, Path file) throws IOException {
        byte[] bytes = toBytes(model, metadata);
        AtomicFile.write(file, out -> out.write(bytes));
    }
}
