package org.retina.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.retina.onnx.proto.Onnx.AttributeProto;
import org.retina.onnx.proto.Onnx.GraphProto;
import org.retina.onnx.proto.Onnx.ModelProto;
import org.retina.onnx.proto.Onnx.NodeProto;
import org.retina.onnx.proto.Onnx.OperatorSetIdProto;
import org.retina.onnx.proto.Onnx.TensorShapeProto;
import org.retina.onnx.proto.Onnx.TypeProto;
import org.retina.onnx.proto.Onnx.ValueInfoProto;

/**
 * What the importer refuses, and how: a file that is not ONNX, is truncated or empty; an unsupported op, op
 * version, attribute or attribute value, named with its node. Never a silently different network.
 */
class OnnxImportErrorsTest {

    /** A float tensor value with these dims (a String for a symbolic one); other ONNX tests build with it too. */
    static ValueInfoProto value(String name, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder b = TensorShapeProto.Dimension.newBuilder();
            s.addDim(d instanceof String p ? b.setDimParam(p) : b.setDimValue((Integer) d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    private static NodeProto node(String name, String op, AttributeProto... attributes) {
        return NodeProto.newBuilder().setName(name).setOpType(op).addInput("x").addOutput("y")
                .addAllAttribute(Arrays.asList(attributes)).build();
    }

    private static ModelProto model(int opset, NodeProto node, ValueInfoProto input) {
        return ModelProto.newBuilder().setIrVersion(7)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset))
                .setGraph(GraphProto.newBuilder().addNode(node).addInput(input).addOutput(value("y", "N", 3, 4, 4)))
                .build();
    }

    private static String refused(ModelProto m) {
        return assertThrows(OnnxException.class, () -> Onnx.read(m.toByteArray(), "m.onnx")).getMessage();
    }

    private static void contains(String message, String... fragments) {
        for (String f : fragments) {
            assertTrue(message.contains(f), "'" + message + "' lacks '" + f + "'");
        }
    }

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static final ValueInfoProto IMAGE = value("x", "N", 3, 4, 4);

    @Test
    void notOnnx() {
        contains(assertThrows(OnnxException.class, () -> Onnx.read(new byte[0], "e.onnx")).getMessage(),
                "e.onnx: not a valid ONNX file (empty)");
        contains(assertThrows(OnnxException.class, () -> Onnx.read("PK\3\4 a zip".getBytes(), "z.onnx"))
                .getMessage(), "z.onnx: not a valid ONNX file");
        byte[] good = model(13, node("relu", "Relu"), IMAGE).toByteArray();
        contains(assertThrows(OnnxException.class, () -> Onnx.read(Arrays.copyOf(good, good.length - 9), "t.onnx"))
                .getMessage(), "t.onnx: not a valid ONNX file", "truncated");
        contains(assertThrows(OnnxException.class, () -> Onnx.read(ModelProto.newBuilder().setIrVersion(7).build()
                .toByteArray(), "g.onnx")).getMessage(), "g.onnx: not an ONNX model (no graph)");
    }

    @Test
    void unsupportedOpNamesTheNodeAndTheOp() {
        contains(refused(model(13, node("up1", "Resize"), IMAGE)), "ONNX node 'up1' (Resize)", "not supported");
        contains(refused(model(13, node("r", "Relu").toBuilder().setDomain("com.microsoft").build(), IMAGE)),
                "'r' (Relu)", "domain 'com.microsoft'");
    }

    @Test
    void unsupportedAttributeNamesIt() {
        contains(refused(model(13, node("pool", "MaxPool", ints("kernel_shape", 2, 2), integer("foo", 1)), IMAGE)),
                "ONNX node 'pool' (MaxPool), attribute 'foo'", "not supported");
        contains(refused(model(13, node("pool", "MaxPool", ints("kernel_shape", 2, 2), integer("storage_order", 1)),
                IMAGE)), "'pool' (MaxPool), attribute 'storage_order'", "is 1");
        contains(refused(model(13, node("lrn", "LRN", integer("size", 4)), IMAGE)), "'lrn' (LRN), attribute 'size'",
                "odd sizes only");
        contains(refused(model(13, node("t", "Transpose", ints("perm", 0, 1, 3, 2)), IMAGE)),
                "'t' (Transpose), attribute 'perm'", "moves data");
        contains(refused(model(13, node("t", "Transpose", ints("perm", 0, 2, 3, 1)), IMAGE)),
                "the output 'y' is channels-last", "Transpose [0, 3, 1, 2]");
        contains(refused(model(13, node("f", "Flatten", integer("axis", 2)), IMAGE)), "'f' (Flatten), attribute"
                + " 'axis'", "is 2");
        contains(refused(model(13, node("s", "Softmax", integer("axis", 0)), IMAGE)), "'s' (Softmax), attribute"
                + " 'axis'", "is 0");
    }

    @Test
    void unsupportedOpsetsAndInputs() {
        contains(refused(model(22, node("relu", "Relu"), IMAGE)), "opset 22", "opsets 6 to 21");
        contains(refused(model(5, node("relu", "Relu"), IMAGE)), "opset 5");
        contains(refused(model(13, node("relu", "Relu"), value("x", "N", 3, "height", 4))),
                "input 'x': dimension 2 is symbolic ('height')");
        ModelProto two = model(13, node("relu", "Relu"), IMAGE);
        two = two.toBuilder().setGraph(two.getGraph().toBuilder().addInput(value("z", 1, 2))).build();
        contains(refused(two), "2 inputs besides its initializers [x, z]");
    }

    @Test
    void conv1dIsNamed() {
        NodeProto conv = node("c", "Conv").toBuilder().addInput("w").build();
        ModelProto m = model(13, conv, value("x", "N", 3, 8));
        m = m.toBuilder().setGraph(m.getGraph().toBuilder().addInitializer(Tensors.floats("w", new long[] {2, 3, 3},
                new float[18]))).build();
        contains(refused(m), "ONNX node 'c' (Conv)", "is not (N, C, H, W)");
    }
}
