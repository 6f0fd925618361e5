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
 * The global average PyTorch writes as {@code ReduceMean} over axes [2, 3] (and {@code ReduceMax}), with and
 * without {@code keepdims}, axes as an attribute (before opset 18) and as an input (18 on): imported and run, equal
 * to ONNX Runtime on the same file; other axes refused naming the attribute; {@code Onnx.check} lists every node
 * that does not import at once.
 */
class ReduceImportTest {

    /** x (N, 3, 5, 4) -> op over {@code axes} -> y. */
    static ModelProto reduce(String op, int opset, boolean keepdims, long... axes) {
        NodeProto.Builder n = NodeProto.newBuilder().setName("pool").setOpType(op).addInput("x").addOutput("y")
                .addAttribute(OnnxImportErrorsTest.integer("keepdims", keepdims ? 1 : 0));
        GraphProto.Builder g = GraphProto.newBuilder().addInput(OnnxImportErrorsTest.value("x", "N", 3, 5, 4));
        if (opset >= 18) {
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
        g.addNode(n).addOutput(keepdims ? OnnxImportErrorsTest.value("y", "N", 3, 1, 1) : OnnxImportErrorsTest.value("y", "N", 3));
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset)).setGraph(g).build();
    }

    @ParameterizedTest(name = "{0} opset {1} keepdims {2}")
    @CsvSource({"ReduceMean, 13, false", "ReduceMean, 13, true", "ReduceMean, 18, false", "ReduceMax, 17, false",
        "ReduceMax, 18, true"})
    void aGlobalReductionMatchesOnnxRuntime(String op, int opset, boolean keepdims) {
        byte[] bytes = reduce(op, opset, keepdims, -2, -1).toByteArray();
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
        assertTrue(Onnx.check(bytes, "reduce.onnx").isEmpty());
    }

    @Test
    void otherAxesAreRefusedNamingTheAttribute() {
        OnnxException e = assertThrows(OnnxException.class, () -> Onnx.read(reduce("ReduceMean", 13, true, 1)
                .toByteArray(), "c.onnx"));
        assertTrue(e.getMessage().contains("'pool'") && e.getMessage().contains("axes")
                && e.getMessage().contains("[1]") && e.getMessage().contains("spatial axes [2, 3]"), e.getMessage());
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
        List<String> axes = Onnx.check(reduce("ReduceMean", 13, true, 1).toByteArray(), "c.onnx");
        assertEquals(1, axes.size());
        assertTrue(axes.getFirst().contains("axes"), axes.getFirst());
    }
}
