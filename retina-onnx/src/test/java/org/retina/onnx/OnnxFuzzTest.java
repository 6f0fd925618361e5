package org.retina.onnx;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The ONNX importer against arbitrary bytes: it imports the model or refuses it with an {@link OnnxException}
 * (or another IllegalArgumentException) naming what is wrong — never another exception or an OutOfMemoryError.
 * Plain test runs replay {@code OnnxFuzzTestInputs/} (PyTorch-exported models and past findings).
 */
class OnnxFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void importModel(byte[] data) {
        try {
            Onnx.read(data, "fuzz.onnx");
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw e;
            }
        }
    }
}
