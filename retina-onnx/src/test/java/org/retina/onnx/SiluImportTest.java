package org.retina.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.retina.model.Model;
import org.retina.nn.Mode;
import org.retina.nn.Multiply;
import org.retina.nn.SiLU;
import org.retina.nn.Sigmoid;
import org.retina.onnx.proto.Onnx.GraphProto;
import org.retina.onnx.proto.Onnx.ModelProto;
import org.retina.onnx.proto.Onnx.NodeProto;
import org.retina.onnx.proto.Onnx.OperatorSetIdProto;
import org.retina.onnx.proto.Onnx.ValueInfoProto;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;

/**
 * PyTorch writes SiLU as {@code Sigmoid} then {@code Mul(x, sigmoid)}: imported as one fused SiLU layer, the same
 * function as ONNX Runtime computes; a sigmoid that something else reads as well stays a sigmoid and a product.
 */
class SiluImportTest {

    private static ValueInfoProto value(String name) {
        return OnnxImportErrorsTest.value(name, "N", 3, 4, 4);
    }

    private static NodeProto node(String name, String op, String out, String... in) {
        return NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(List.of(in)).addOutput(out).build();
    }

    private static byte[] model(boolean sigmoidReadTwice) {
        GraphProto.Builder g = GraphProto.newBuilder().addInput(value("x"))
                .addNode(node("act.sigmoid", "Sigmoid", "s", "x"))
                .addNode(node("act", "Mul", sigmoidReadTwice ? "m" : "y", "x", "s"));
        if (sigmoidReadTwice) {
            g.addNode(node("again", "Mul", "y", "m", "s"));
        }
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(g.addOutput(value("y"))).build().toByteArray();
    }

    private static Tensor input() {
        Random r = new Random(3);
        float[] x = new float[2 * 3 * 4 * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 3);
        }
        return Tensor.of(x, 2, 3, 4, 4);
    }

    @Test
    void sigmoidTimesItsInputIsOneSiluLayer() {
        byte[] bytes = model(false);
        Model m = Onnx.read(bytes, "silu.onnx").model();
        assertEquals(1, m.nodes().size(), "fused: " + m.nodes());
        assertTrue(m.nodes().getFirst().component() instanceof SiLU);
        Golden.assertClose("silu", Ort.run(bytes, input()), m.forward(input(), Mode.EVAL), 1e-5, 1e-6);
    }

    @Test
    void aSigmoidReadElsewhereStaysASigmoid() {
        byte[] bytes = model(true);
        Model m = Onnx.read(bytes, "two.onnx").model();
        assertTrue(m.nodes().stream().anyMatch(n -> n.component() instanceof Sigmoid), m.nodes().toString());
        assertTrue(m.nodes().stream().anyMatch(n -> n.component() instanceof Multiply), m.nodes().toString());
        Golden.assertClose("sigmoid read twice", Ort.run(bytes, input()), m.forward(input(), Mode.EVAL), 1e-5, 1e-6);
    }
}
