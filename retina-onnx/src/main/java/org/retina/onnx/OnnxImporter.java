package org.retina.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.retina.model.Graph;
import org.retina.model.Model;
import org.retina.nn.Component;
import org.retina.nn.Layer;
import org.retina.nn.Merge;
import org.retina.nn.ShapeException;
import org.retina.onnx.proto.Onnx.GraphProto;
import org.retina.onnx.proto.Onnx.ModelProto;
import org.retina.onnx.proto.Onnx.NodeProto;
import org.retina.onnx.proto.Onnx.OperatorSetIdProto;
import org.retina.onnx.proto.Onnx.StringStringEntryProto;
import org.retina.onnx.proto.Onnx.TensorProto;
import org.retina.onnx.proto.Onnx.TensorShapeProto;
import org.retina.onnx.proto.Onnx.ValueInfoProto;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Turns an ONNX graph into a Retina {@link Graph}: walks the nodes in order, folds what is constant, maps each
 * op onto layers ({@link LayerOps}, {@link PointOps}, {@link ShapeOps}) and finally copies the initializers into
 * the built model's parameters. One import per instance.
 */
final class OnnxImporter {
    /** The opsets of the default domain Retina reads. */
    static final int MIN_OPSET = 6;
    static final int MAX_OPSET = 21;

    private final ModelProto proto;
    private final int opset;
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, List<NodeProto>> readers = new HashMap<>();
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Set<String> initializers = new HashSet<>();
    private final Set<NodeProto> skipped = new HashSet<>();
    private final Graph.Builder graph = Graph.builder();
    private final Set<String> names = new HashSet<>();
    private final Map<String, List<Tensor>> weights = new LinkedHashMap<>();
    private Shape inputShape;
    private int batch;

    private OnnxImporter(ModelProto proto) {
        this.proto = proto;
        this.opset = opsetOf(proto);
    }

    static Imported run(ModelProto proto) {
        return Const.withBudget(() -> new OnnxImporter(proto).importGraph());
    }

    private static int opsetOf(ModelProto proto) {
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                if (o.getVersion() < MIN_OPSET || o.getVersion() > MAX_OPSET) {
                    throw new OnnxException("ONNX model: opset " + o.getVersion() + " of the default domain is not"
                            + " supported; Retina reads opsets " + MIN_OPSET + " to " + MAX_OPSET);
                }
                return (int) o.getVersion();
            }
        }
        throw new OnnxException("ONNX model: no opset of the default ONNX domain is imported (opset_import lists "
                + proto.getOpsetImportList().stream().map(o -> "'" + o.getDomain() + "' " + o.getVersion()).toList()
                + ")");
    }

    private Imported importGraph() {
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw new OnnxException("ONNX model: the file holds no graph nodes");
        }
        GraphProto g = proto.getGraph();
        for (TensorProto t : g.getInitializerList()) {
            values.put(t.getName(), Tensors.read(t, "ONNX initializer '" + t.getName() + "'"));
            initializers.add(t.getName());
        }
        defineInput(g);
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                readers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
            n.getOutputList().forEach(o -> producers.put(o, n));
        }
        for (NodeProto n : g.getNodeList()) {
            if (!skipped.contains(n)) {
                dispatch(n);
            }
        }
        if (g.getOutputCount() != 1) {
            throw new OnnxException("ONNX model: the graph has " + g.getOutputCount() + " outputs "
                    + g.getOutputList().stream().map(ValueInfoProto::getName).toList()
                    + "; Retina models have one output");
        }
        String out = g.getOutput(0).getName();
        if (values.get(out) instanceof Value.Live l && l.channelsLast()) {
            throw new OnnxException("ONNX model: the output '" + out + "' is channels-last (N, H, W, C); Retina's"
                    + " outputs are (N, C, H, W): end the graph with a Transpose [0, 3, 1, 2]");
        }
        if (!(values.get(out) instanceof Value.Live live) || live.node().equals(Model.INPUT)) {
            throw new OnnxException("ONNX model: the output '" + out + "' is "
                    + (values.get(out) instanceof Const ? "a constant" : "not computed by any layer")
                    + "; expected a value computed from the input");
        }
        Graph model = graph.build(live.node());
        model.build(inputShape);
        for (Map.Entry<String, List<Tensor>> e : weights.entrySet()) {
            Component c = model.node(e.getKey()).component();
            List<Parameter> ps = new ArrayList<>(c.parameters());
            ps.addAll(c.buffers());
            for (int i = 0; i < ps.size(); i++) {
                ps.get(i).value().copyFrom(e.getValue().get(i));
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (StringStringEntryProto p : proto.getMetadataPropsList()) {
            meta.put(p.getKey(), p.getValue());
        }
        String producer = (proto.getProducerName() + " " + proto.getProducerVersion()).strip();
        return new Imported(model, opset, producer, meta);
    }

    private void defineInput(GraphProto g) {
        List<ValueInfoProto> inputs = g.getInputList().stream().filter(v -> !initializers.contains(v.getName()))
                .toList();
        if (inputs.size() != 1) {
            throw new OnnxException("ONNX model: the graph has " + inputs.size() + " inputs besides its initializers "
                    + inputs.stream().map(ValueInfoProto::getName).toList() + "; Retina models have one input");
        }
        ValueInfoProto in = inputs.getFirst();
        String what = "ONNX model: input '" + in.getName() + "'";
        if (!in.getType().hasTensorType() || in.getType().getTensorType().getElemType() != Const.FLOAT) {
            throw new OnnxException(what + " is not a float32 tensor; Retina models read float32 data");
        }
        List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
        if (dims.size() < 2) {
            throw new OnnxException(what + " has " + dims.size() + " dimension(s); expected (batch, ...) with at"
                    + " least one dimension per sample");
        }
        batch = dims.getFirst().hasDimValue() ? (int) dims.getFirst().getDimValue() : 1;
        int[] sample = new int[dims.size() - 1];
        for (int i = 1; i < dims.size(); i++) {
            TensorShapeProto.Dimension d = dims.get(i);
            if (!d.hasDimValue() || d.getDimValue() < 1) {
                throw new OnnxException(what + ": dimension " + i + " is " + (d.hasDimParam() ? "symbolic ('"
                        + d.getDimParam() + "')" : "unknown") + "; Retina builds a model for one fixed sample shape,"
                        + " so every dimension but the batch must be a number");
            }
            sample[i - 1] = (int) d.getDimValue();
        }
        inputShape = Shape.of(sample);
        values.put(in.getName(), new Value.Live(Model.INPUT, inputShape));
    }

    private void dispatch(NodeProto n) {
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
            throw OnnxException.of(n, "the op comes from domain '" + n.getDomain() + "'; Retina imports the default"
                    + " ONNX domain only");
        }
        Attributes a = new Attributes(n);
        try {
            if (!ShapeOps.fold(this, n, a) && !LayerOps.handle(this, n, a) && !PointOps.handle(this, n, a)
                    && !ShapeOps.handle(this, n, a)) {
                throw OnnxException.of(n, "op " + n.getOpType() + " is not supported by Retina's ONNX import");
            }
        } catch (OnnxException e) {
            throw e;
        } catch (IllegalArgumentException | ArithmeticException | IndexOutOfBoundsException e) {
            throw new OnnxException(OnnxException.where(n) + ": " + e.getMessage(), e);
        }
        a.checkAllRead();
    }

    int opset() {
        return opset;
    }

    /** The batch size the input declares (1 when symbolic): what a folded {@code Shape} reports. */
    int batch() {
        return batch;
    }

    boolean hasInput(NodeProto n, int i) {
        return i < n.getInputCount() && !n.getInput(i).isEmpty();
    }

    Value value(NodeProto n, int i) {
        if (!hasInput(n, i)) {
            throw OnnxException.of(n, "input " + i + " is missing");
        }
        Value v = values.get(n.getInput(i));
        if (v == null) {
            throw OnnxException.of(n, "input '" + n.getInput(i) + "' is not defined before the node");
        }
        return v;
    }

    /** Input {@code i}, which must be computed from the model input and in Retina's own layout. */
    Value.Live live(NodeProto n, int i) {
        Value.Live l = liveAnyLayout(n, i);
        if (l.channelsLast()) {
            throw OnnxException.of(n, "input " + i + " ('" + n.getInput(i) + "') is channels-last (a Transpose [0, 2,"
                    + " 3, 1] made it); Retina imports only per-position ops over the last axis (LayerNormalization,"
                    + " MatMul, Add and Mul of per-channel constants) and elementwise ops there, until a Transpose"
                    + " [0, 3, 1, 2] turns it back");
        }
        return l;
    }

    /** Input {@code i}, computed from the model input, in either layout: for ops that work value by value. */
    Value.Live liveAnyLayout(NodeProto n, int i) {
        if (value(n, i) instanceof Value.Live l) {
            return l;
        }
        throw OnnxException.of(n, "input " + i + " ('" + n.getInput(i) + "') is a constant; Retina expects it"
                + " computed from the model input");
    }

    /** Input {@code i}, which must be known at import (an initializer, a Constant or a folded subgraph). */
    Const constant(NodeProto n, int i) {
        if (value(n, i) instanceof Const c) {
            return c;
        }
        throw OnnxException.of(n, "input " + i + " ('" + n.getInput(i) + "') is computed from the model input;"
                + " Retina expects a constant (an initializer) there");
    }

    /** Gives the node's output {@code i} a value; the other outputs must be unused. */
    void define(NodeProto n, Value v) {
        for (int i = 1; i < n.getOutputCount(); i++) {
            if (!n.getOutput(i).isEmpty() && readers.containsKey(n.getOutput(i))) {
                throw OnnxException.of(n, "output " + i + " ('" + n.getOutput(i) + "') is used; Retina imports"
                        + " only the first output of " + n.getOpType());
            }
        }
        values.put(n.getOutput(0), v);
    }

    /** Gives output {@code i} of a node with several outputs its value. */
    void defineOutput(NodeProto n, int i, Value v) {
        values.put(n.getOutput(i), v);
    }

    /** The nodes reading value {@code name}, for pattern matching. */
    List<NodeProto> readers(String name) {
        return readers.getOrDefault(name, List.of());
    }

    /**
     * Value {@code name} for pattern matching ahead of the walk: its value when defined; else, when its producer
     * folds at import (a {@code Constant}, or shape arithmetic on constants and on the shapes of values already
     * computed, as in {@code Shape -> Gather -> Concat} of a dynamic reshape), that value folded now and its nodes
     * skipped; else null.
     */
    Value ahead(String name) {
        Value v = values.get(name);
        NodeProto p = producers.get(name);
        if (v != null || p == null || skipped.contains(p)) {
            return v;
        }
        boolean shape = p.getOpType().equals("Shape");
        for (int i = 0; i < p.getInputCount(); i++) {
            if (!p.getInput(i).isEmpty()) {
                Value in = ahead(p.getInput(i));
                if (in == null || !shape && !(in instanceof Const)) {
                    return null;
                }
            }
        }
        if (!shape && !p.getOpType().equals("Constant") && p.getInputCount() == 0) {
            return null;
        }
        dispatch(p);
        skip(p);
        return values.get(name);
    }

    /** Whether the value feeds the graph output. */
    boolean isGraphOutput(String name) {
        return proto.getGraph().getOutputList().stream().anyMatch(o -> o.getName().equals(name));
    }

    /** Marks a node as imported together with an earlier one (a recognised pattern). */
    void skip(NodeProto n) {
        skipped.add(n);
    }

    /** Adds a layer reading {@code in} for node {@code n}, built now so the next op knows its shape. */
    Value.Live add(NodeProto n, Layer layer, Value.Live in, Tensor... params) {
        String name = name(n);
        Shape out;
        try {
            out = layer.build(in.sample());
        } catch (ShapeException e) {
            throw OnnxException.of(n, e.named(name).getMessage());
        }
        graph.add(name, layer, in.node());
        record(n, name, layer, params);
        return new Value.Live(name, out, in.channelsLast());
    }

    /** Adds a merge reading {@code ins} for node {@code n}. */
    Value.Live merge(NodeProto n, Merge merge, List<Value.Live> ins) {
        String name = name(n);
        Shape out;
        try {
            out = merge.build(ins.stream().map(Value.Live::sample).toList());
        } catch (ShapeException e) {
            throw OnnxException.of(n, e.named(name).getMessage());
        }
        if (ins.stream().map(Value.Live::channelsLast).distinct().count() > 1) {
            throw OnnxException.of(n, "it combines channels-last values (after a Transpose [0, 2, 3, 1]) with values"
                    + " in the usual layout");
        }
        graph.add(name, merge, ins.stream().map(Value.Live::node).toArray(String[]::new));
        return new Value.Live(name, out, ins.getFirst().channelsLast());
    }

    private void record(NodeProto n, String name, Layer layer, Tensor[] params) {
        if (params.length == 0) {
            return;
        }
        List<Parameter> expected = new ArrayList<>(layer.parameters());
        expected.addAll(layer.buffers());
        if (expected.size() != params.length) {
            throw OnnxException.of(n, layer + " holds " + expected.size() + " parameters, the node gives "
                    + params.length);
        }
        for (int i = 0; i < params.length; i++) {
            if (expected.get(i).size() != params[i].size()) {
                throw OnnxException.of(n, "'" + expected.get(i).name() + "' of " + layer + " holds "
                        + expected.get(i).shape() + ", the node's tensor " + params[i].shape());
            }
        }
        weights.put(name, List.of(params));
    }

    /**
     * The PyTorch module a node came from, from the scope name {@code torch.onnx.export} writes: for
     * {@code /features/features.16/conv/conv.0/conv.0.0/Conv} the module {@code features.16.conv.0.0} (each scope
     * segment is either a longer form of the one before it or a child of it), so that imported nodes carry the
     * names a PyTorch user knows. The op's own segment is dropped when it is just the op type (the module's one
     * op) and kept otherwise ({@code layer1.0.Add}); null for a name without a module.
     */
    private static String modulePath(NodeProto n) {
        String[] seg = n.getName().substring(1).split("/");
        List<String> path = new ArrayList<>();
        for (int i = 0; i < seg.length - 1; i++) {
            if (!path.isEmpty() && seg[i].startsWith(path.getLast() + ".")) {
                path.set(path.size() - 1, seg[i]);
            } else if (!seg[i].isEmpty()) {
                path.add(seg[i]);
            }
        }
        if (path.isEmpty()) {
            return null;
        }
        String last = seg[seg.length - 1];
        String module = String.join(".", path);
        return last.equals(n.getOpType()) ? module : module + "." + last;
    }

    /**
     * A Retina node name for ONNX node {@code n}: the prefix of its weight initializer ({@code conv1} for
     * {@code conv1.weight}, as PyTorch and Retina exports write), else its name, else its output's; made unique,
     * with {@code /} (reserved in Retina paths) turned into {@code .}.
     */
    private String name(NodeProto n) {
        String base = null;
        for (String in : n.getInputList()) {
            for (String suffix : new String[] {".weight", ".running_mean"}) {
                if (base == null && initializers.contains(in) && in.endsWith(suffix) && in.length() > suffix.length()) {
                    base = in.substring(0, in.length() - suffix.length());
                }
            }
        }
        if (base == null && n.getName().startsWith("/")) {
            base = modulePath(n);
        }
        if (base == null) {
            base = !n.getName().isEmpty() ? n.getName() : n.getOutputCount() > 0 ? n.getOutput(0) : n.getOpType();
        }
        base = base.replace('/', '.').replaceAll("^[.\\s]+|\\s+$", "");
        if (base.isEmpty() || base.equals(Model.INPUT)) {
            base = n.getOpType().toLowerCase(java.util.Locale.ROOT) + (base.isEmpty() ? "" : "_");
        }
        String name = base;
        for (int k = 2; !names.add(name); k++) {
            name = base + "_" + k;
        }
        return name;
    }
}
