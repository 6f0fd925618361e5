package org.retina.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.retina.model.Model;
import org.retina.onnx.proto.Onnx.AttributeProto;
import org.retina.onnx.proto.Onnx.GraphProto;
import org.retina.onnx.proto.Onnx.ModelProto;
import org.retina.onnx.proto.Onnx.NodeProto;
import org.retina.onnx.proto.Onnx.OperatorSetIdProto;
import org.retina.onnx.proto.Onnx.StringStringEntryProto;
import org.retina.onnx.proto.Onnx.TensorShapeProto;
import org.retina.onnx.proto.Onnx.TypeProto;
import org.retina.onnx.proto.Onnx.ValueInfoProto;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Writes a built Retina model as an ONNX graph (opset {@value #OPSET}): the input is {@code input} with a symbolic
 * batch {@code N}, each Retina node becomes one or a few ONNX nodes whose value is named after it, and every
 * parameter and buffer becomes an initializer named by its path ({@code conv1.weight}).
 */
final class OnnxExporter {
    static final int OPSET = 19;
    /** The IR version that goes with opset 19. */
    static final int IR_VERSION = 9;

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("retina");

    private OnnxExporter() {
    }

    static ModelProto export(Model model, Map<String, String> metadata) {
        if (!model.isBuilt()) {
            throw new IllegalArgumentException("ONNX export: the model must be built (build(inputShape)) first");
        }
        OnnxExporter e = new OnnxExporter();
        e.graph.addInput(valueInfo(Model.INPUT, model.inputShape()));
        for (Model.Node n : model.nodes()) {
            ExportOps.emit(e, model, n);
        }
        e.graph.addOutput(valueInfo(model.outputName(), model.outputShape()));
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("retina")
                .setProducerVersion("0.1.0").setGraph(e.graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    private static ValueInfoProto valueInfo(String name, Shape sample) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (int d : sample.dims()) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(Const.FLOAT).setShape(s))).build();
    }

    /** Adds a node {@code op} named {@code name} reading {@code inputs} and writing {@code output}. */
    void node(String op, String name, List<String> inputs, String output, AttributeProto... attributes) {
        graph.addNode(NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output)
                .addAllAttribute(List.of(attributes)));
    }

    /** A float initializer named {@code name} holding {@code t}'s values with the given dims; returns the name. */
    String floats(String name, Tensor t, long... dims) {
        graph.addInitializer(Tensors.floats(name, dims, t.data()));
        return name;
    }

    /** A parameter as an initializer of its own shape, named by its path. */
    String param(String node, Parameter p) {
        int[] d = p.shape().dims();
        long[] dims = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            dims[i] = d[i];
        }
        return floats(node + "." + p.name(), p.value(), dims);
    }

    /** An int64 initializer (shapes, pads). */
    String longs(String name, long... values) {
        graph.addInitializer(Tensors.longs(name, new long[] {values.length}, values));
        return name;
    }

    /** A float scalar initializer. */
    String scalar(String name, float value) {
        graph.addInitializer(Tensors.floats(name, new long[0], new float[] {value}));
        return name;
    }

    static AttributeProto ints(String name, int... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (int v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value)
                .build();
    }

    static AttributeProto real(String name, double value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT)
                .setF((float) value).build();
    }

    static AttributeProto string(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    static List<String> names(String... names) {
        return new ArrayList<>(List.of(names));
    }
}
