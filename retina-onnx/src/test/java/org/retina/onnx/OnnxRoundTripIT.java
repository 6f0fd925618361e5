package org.retina.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;

/**
 * ONNX -> Retina -> ONNX on the light architectures: each imported model, exported again and run in ONNX
 * Runtime, gives the case's expected output within its tolerance.
 */
class OnnxRoundTripIT {

    static Stream<String> light() throws IOException {
        return OnnxBackendCasesTest.light();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("light")
    void exportedAgainRunsInOnnxRuntime(String name) throws IOException {
        Path dir = OnnxBackendCasesTest.root().resolve("light");
        Imported m = OnnxBackendCasesTest.importOrSkip(dir.resolve("light_" + name + ".onnx"));
        Tensor expected = OnnxBackendCasesTest.tensor(dir.resolve("light_" + name + "_output_0.pb"));
        Tensor x = OnnxBackendCasesTest.arange(m.model().inputShape().withBatch(expected.dim(0)));
        byte[] again = Onnx.toBytes(m.model(), m.metadata());
        m = null;
        Golden.assertClose(name + " exported again, in ONNX Runtime", expected, Ort.run(again, x),
                OnnxBackendCasesTest.rtol(name), 1e-7);
    }
}
