package org.retina.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** Runs ONNX model bytes in ONNX Runtime (the reference implementation) on one float input. */
final class Ort {
    private Ort() {
    }

    /** The first output of the model for input {@code x}, fed to the graph's first input. */
    static Tensor run(byte[] model, Tensor x) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            // no graph rewrites (such as folding batch norm into convolutions): ONNX's arithmetic as written
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            opts.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(model, opts)) {
                String input = session.getInputNames().iterator().next();
                long[] dims = java.util.Arrays.stream(x.dims()).asLongStream().toArray();
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), dims);
                     OrtSession.Result r = session.run(Map.of(input, t))) {
                    OnnxTensor out = (OnnxTensor) r.get(0);
                    long[] shape = out.getInfo().getShape();
                    FloatBuffer fb = out.getFloatBuffer();
                    float[] data = new float[fb.remaining()];
                    fb.get(data);
                    return Tensor.wrap(data, Shape.of(java.util.Arrays.stream(shape).mapToInt(Math::toIntExact)
                            .toArray()));
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
        }
    }

    /** The largest magnitude in {@code t}: the scale for an absolute tolerance relative to the output. */
    static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
