package org.retina.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.data.format.Npy;
import org.retina.nn.Mode;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;

/**
 * Small networks exported by PyTorch 1.13 ({@code src/test/resources/pytorch/make_pytorch_onnx.py} made them):
 * a conv / batch norm / ReLU / pool / dense classifier (opset 13), a residual net with an identity and a projected
 * shortcut (opset 11), and grouped, depthwise and dilated convolutions with reflect, edge and constant padding
 * and the smooth activations (opset 17). Imported, they give PyTorch's outputs within 1e-4.
 */
class PyTorchExportTest {

    static Stream<String> networks() {
        return Stream.of("convnet", "residual", "grouped_dilated");
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = PyTorchExportTest.class.getResourceAsStream("/pytorch/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource pytorch/" + name);
            }
            return in.readAllBytes();
        }
    }

    static Tensor array(String name) throws IOException {
        byte[] b = resource(name);
        return Npy.read(new java.io.ByteArrayInputStream(b), name, b.length).toTensor();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void matchesPyTorch(String name) throws IOException {
        Imported m = Onnx.read(resource(name + ".onnx"), name + ".onnx");
        Tensor x = array(name + "_input.npy");
        Tensor expected = array(name + "_output.npy");
        Golden.assertClose(name, expected, m.model().forward(x, Mode.EVAL), 1e-4, 1e-4);
        Golden.assertClose(name + " exported again, in ONNX Runtime", expected,
                Ort.run(Onnx.toBytes(m.model(), m.metadata()), x), 1e-4, 1e-4);
    }
}
