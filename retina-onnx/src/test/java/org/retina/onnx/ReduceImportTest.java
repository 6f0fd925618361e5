package org.retina.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.retina.nn.Mode;
import org.retina.onnx.proto.Onnx.AttributeProto;
import org.retina.onnx.proto.Onnx.GraphProto;
import org.retina.onnx.proto.Onnx.ModelProto;
import org.retina.onnx.proto.Onnx.NodeProto;
import org.retina.onnx.proto.Onnx.OperatorSetIdProto;
import org.retina.onnx.proto.Onnx.TensorProto;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;

/**
 * {@code ReduceMean}, {@code ReduceSum} and {@code ReduceMax} over any per-sample axes (the global average PyTorch
 * writes over [2, 3] among them), with and without {@code keepdims}, axes as an attribute and as an input:
 * imported and run, equal to ONNX Runtime on the same file, and exported again; the batch axis refused naming the
 * attribute; arithmetic of computed values that broadcast; {@code Onnx.check} lists every node that does not
 * import at once.
 */
class ReduceImportTest {

    /** x (N, 3, 5, 4) -> op over {@code axes} -> y. */
    static ModelProto reduce(String op, int opset, boolean keepdims, long... axes) {
        NodeProto.Builder n = NodeProto.newBuilder().setName("pool").setOpType(op).addInput("x").addOutput("y")
                .addAttribute(OnnxImportErrorsTest.integer("keepdims", keepdims ? 1 : 0));
        GraphProto.Builder g = GraphProto.newBuilder().addInput(OnnxImportErrorsTest.value("x", "N", 3, 5, 4));
        if (opset >= (op.equals("ReduceSum") ? 13 : 18)) {
            n.addInput("axes");
            TensorProto.Builder t = TensorProto.newBuilder().setName("axes").setDataType(7).addDims(axes.length);
            for (long a : axes) {
                t.addInt64Data(a);
            }
            g.addInitializer(t);
        } else {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName("axes")
                    .setType(AttributeProto.AttributeType.INTS);
            for (long v : axes) {
                a.addInts(v);
            }
            n.addAttribute(a);
        }
        g.addNode(n).addOutput(OnnxImportErrorsTest.value("y")); // the shape left to inference: it varies with the axes
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset)).setGraph(g).build();
    }

    @ParameterizedTest(name = "{0} opset {1} keepdims {2} axes {3}")
    @CsvSource({"ReduceMean, 13, false, -2 -1", "ReduceMean, 13, true, -2 -1", "ReduceMean, 18, false, -2 -1",
        "ReduceMax, 17, false, -2 -1", "ReduceMax, 18, true, -2 -1", "ReduceSum, 13, true, -2 -1",
        "ReduceMean, 13, true, 1", "ReduceSum, 17, false, 1 3", "ReduceMax, 13, false, 2",
        "ReduceSum, 18, true, 1 2 3", "ReduceMean, 17, false, -1"})
    void aReductionMatchesOnnxRuntime(String op, int opset, boolean keepdims, String axesText) {
        long[] axes = java.util.Arrays.stream(axesText.split(" ")).mapToLong(Long::parseLong).toArray();
        byte[] bytes = reduce(op, opset, keepdims, axes).toByteArray();
        Imported m = Onnx.read(bytes, "reduce.onnx");
        Random r = new Random(opset);
        float[] x = new float[2 * 3 * 5 * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        Tensor in = Tensor.of(x, 2, 3, 5, 4);
        Tensor got = m.model().forward(in, Mode.EVAL);
        Tensor want = Ort.run(bytes, in);
        assertEquals(want.shape(), got.shape());
        Golden.assertClose(op, want, got, 1e-5, 1e-6);
        Golden.assertClose(op + " exported", want, Ort.run(Onnx.toBytes(m.model(), m.metadata()), in), 1e-5, 1e-6);
        assertTrue(Onnx.check(bytes, "reduce.onnx").isEmpty());
    }

    @Test
    void theBatchAxisIsRefusedNamingTheAttribute() {
        OnnxException e = assertThrows(OnnxException.class, () -> Onnx.read(reduce("ReduceMean", 13, true, 0, 1)
                .toByteArray(), "c.onnx"));
        assertTrue(e.getMessage().contains("'pool'") && e.getMessage().contains("axes")
                && e.getMessage().contains("[0, 1]") && e.getMessage().contains("never the batch"), e.getMessage());
    }

    /**
     * {@code Sub}, {@code Div}, {@code Add} and {@code Mul} of two computed values that broadcast:
     * {@code ((x - mean_c(x)) / (max_c(x) + 2) + mean_hw(x)) * mean_w(x)} over {@code (N, 3, 5, 4)}.
     */
    @Test
    void arithmeticOfComputedValuesBroadcastsAsOnnxRuntime() {
        GraphProto.Builder g = GraphProto.newBuilder().addInput(OnnxImportErrorsTest.value("x", "N", 3, 5, 4));
        g.addNode(reduceNode("ReduceMean", "x", "mc", 1));
        g.addNode(reduceNode("ReduceMax", "x", "xc", 1));
        g.addInitializer(TensorProto.newBuilder().setName("two").setDataType(1).addFloatData(2f));
        g.addNode(NodeProto.newBuilder().setOpType("Add").addInput("xc").addInput("two").addOutput("den"));
        g.addNode(NodeProto.newBuilder().setOpType("Sub").addInput("x").addInput("mc").addOutput("d"));
        g.addNode(NodeProto.newBuilder().setOpType("Div").addInput("d").addInput("den").addOutput("q"));
        g.addNode(reduceNode("ReduceMean", "x", "mhw", 2, 3));
        g.addNode(NodeProto.newBuilder().setOpType("Add").addInput("mhw").addInput("q").addOutput("s"));
        g.addNode(reduceNode("ReduceMean", "x", "mw", 3));
        g.addNode(NodeProto.newBuilder().setOpType("Mul").addInput("s").addInput("mw").addOutput("y"));
        g.addOutput(OnnxImportErrorsTest.value("y"));
        byte[] bytes = ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build().toByteArray();
        Imported m = Onnx.read(bytes, "arith.onnx");
        Random r = new Random(5);
        float[] x = new float[2 * 3 * 5 * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        Tensor in = Tensor.of(x, 2, 3, 5, 4);
        Tensor want = Ort.run(bytes, in);
        Golden.assertClose("broadcast arithmetic", want, m.model().forward(in, Mode.EVAL), 1e-5, 1e-6);
        Golden.assertClose("broadcast arithmetic exported", want, Ort.run(Onnx.toBytes(m.model(), m.metadata()),
                in), 1e-5, 1e-6);
    }

    private static NodeProto reduceNode(String op, String in, String out, long... axes) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName("axes")
                .setType(AttributeProto.AttributeType.INTS);
        for (long v : axes) {
            a.addInts(v);
        }
        return NodeProto.newBuilder().setOpType(op).addInput(in).addOutput(out).addAttribute(a).build();
    }

    @Test
    void checkListsEveryNodeThatDoesNotImport() {
        NodeProto erf = NodeProto.newBuilder().setName("gelu.erf").setOpType("Einsum").addInput("x").addOutput("e")
                .build();
        NodeProto hs = NodeProto.newBuilder().setName("act").setOpType("Resize").addInput("e")
                .addOutput("y").build();
        NodeProto relu = NodeProto.newBuilder().setName("relu").setOpType("Relu").addInput("y").addOutput("z")
                .build();
        ModelProto m = ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(GraphProto.newBuilder().addInput(OnnxImportErrorsTest.value("x", "N", 3, 4, 4)).addNode(erf).addNode(hs)
                        .addNode(relu).addOutput(OnnxImportErrorsTest.value("z", "N", 3, 4, 4))).build();
        List<String> problems = Onnx.check(m.toByteArray(), "m.onnx");
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("gelu.erf") && problems.get(0).contains("Einsum")
                && problems.get(0).contains("opset 17"), problems.get(0));
        assertTrue(problems.get(1).contains("act") && problems.get(1).contains("Resize"), problems.get(1));
        List<String> axes = Onnx.check(reduce("ReduceMean", 13, true, 0).toByteArray(), "c.onnx");
        assertEquals(1, axes.size());
        assertTrue(axes.getFirst().contains("axes"), axes.getFirst());
    }
}
