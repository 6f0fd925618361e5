package org.retina.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.nn.Mode;
import org.retina.onnx.proto.Onnx.TensorProto;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;
import org.retina.testing.TestData;

/**
 * The ONNX project's backend test cases, vendored in {@code src/test/resources/onnx-tests} (README and licence
 * there): PyTorch-converted 2-D and activation modules (rtol 1e-3, atol 1e-7) and whole light architectures
 * (rtol 1e-3, 2e-3 for DenseNet-121). A case whose model uses an op Retina does not import is reported as
 * skipped, naming the op; any other failure fails.
 */
class OnnxBackendCasesTest {

    static Path root() {
        return TestData.resource("onnx-tests");
    }

    static Stream<String> converted() throws IOException {
        try (Stream<Path> s = Files.list(root().resolve("pytorch-converted"))) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    static Stream<String> light() throws IOException {
        try (Stream<Path> s = Files.list(root().resolve("light"))) {
            return s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".onnx"))
                    .map(f -> f.substring("light_".length(), f.length() - ".onnx".length())).sorted().toList().stream();
        }
    }

    static Tensor tensor(Path pb) throws IOException {
        Const c = Tensors.read(TensorProto.parseFrom(Files.readAllBytes(pb)), pb.toString());
        int[] dims = new int[c.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = (int) c.dims()[i];
        }
        return c.tensor(Shape.of(dims));
    }

    /** Imports, or skips the case naming what Retina does not support. */
    static Imported importOrSkip(Path model) throws IOException {
        try {
            return Onnx.read(model);
        } catch (OnnxException e) {
            Assumptions.abort("not supported: " + e.getMessage());
            throw e;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("converted")
    void pytorchConverted(String name) throws IOException {
        Path dir = root().resolve("pytorch-converted").resolve(name);
        Imported m = importOrSkip(dir.resolve("model.onnx"));
        Tensor x = tensor(dir.resolve("test_data_set_0/input_0.pb"));
        Tensor expected = tensor(dir.resolve("test_data_set_0/output_0.pb"));
        Tensor y = m.model().forward(x, Mode.EVAL);
        Golden.assertClose(name, expected, y, 1e-3, 1e-7);
        // ONNX -> Retina -> ONNX keeps the graph's outputs
        Golden.assertClose(name + " exported again, in ONNX Runtime", expected,
                Ort.run(Onnx.toBytes(m.model(), m.metadata()), x), 1e-3, 1e-7);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("light")
    void lightArchitecture(String name) throws IOException {
        Path dir = root().resolve("light");
        Imported m = importOrSkip(dir.resolve("light_" + name + ".onnx"));
        Tensor expected = tensor(dir.resolve("light_" + name + "_output_0.pb"));
        Shape in = m.model().inputShape().withBatch(expected.dim(0));
        float[] v = arange(in).data();
        Tensor y = m.model().forward(Tensor.wrap(v, in), Mode.EVAL);
        assertEquals(expected.shape(), y.shape());
        Golden.assertClose(name, expected, y, rtol(name), 1e-7);
    }

    static double rtol(String light) {
        return light.equals("densenet121") ? 2e-3 : 1e-3;
    }

    /** Feeds ONNX's runner's input, {@code arange(n).reshape(shape) / n}. */
    static Tensor arange(Shape shape) {
        float[] v = new float[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((double) i / v.length);
        }
        return Tensor.wrap(v, shape);
    }
}
