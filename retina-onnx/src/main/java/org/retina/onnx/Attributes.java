package org.retina.onnx;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.retina.onnx.proto.Onnx.AttributeProto;
import org.retina.onnx.proto.Onnx.NodeProto;

/**
 * A node's attributes with typed getters and defaults. Every attribute a node carries must be read by the op's
 * importer: one left unread is one Retina does not understand, and {@link #checkAllRead} refuses it rather than
 * build a silently different network.
 */
final class Attributes {
    private final NodeProto node;
    private final Map<String, AttributeProto> byName = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();

    Attributes(NodeProto node) {
        this.node = node;
        for (AttributeProto a : node.getAttributeList()) {
            if (!a.getRefAttrName().isEmpty()) {
                throw OnnxException.attribute(node, a.getName(), "refers to a function attribute, which only"
                        + " functions may do");
            }
            byName.put(a.getName(), a);
        }
    }

    boolean has(String name) {
        read.add(name);
        return byName.containsKey(name);
    }

    private AttributeProto get(String name, AttributeProto.AttributeType type) {
        read.add(name);
        AttributeProto a = byName.get(name);
        if (a != null && a.getType() != type && a.getType() != AttributeProto.AttributeType.UNDEFINED) {
            throw OnnxException.attribute(node, name, "is of type " + a.getType() + ", expected " + type);
        }
        return a;
    }

    long integer(String name, long dflt) {
        AttributeProto a = get(name, AttributeProto.AttributeType.INT);
        return a == null ? dflt : a.getI();
    }

    double real(String name, double dflt) {
        AttributeProto a = get(name, AttributeProto.AttributeType.FLOAT);
        return a == null ? dflt : a.getF();
    }

    String string(String name, String dflt) {
        AttributeProto a = get(name, AttributeProto.AttributeType.STRING);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    /** A list of ints, or null when absent. */
    long[] ints(String name) {
        AttributeProto a = get(name, AttributeProto.AttributeType.INTS);
        return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** A list of ints as int[], {@code dflt} when absent, each checked to fit. */
    int[] ints(String name, int[] dflt) {
        long[] l = ints(name);
        if (l == null) {
            return dflt;
        }
        int[] r = new int[l.length];
        for (int i = 0; i < r.length; i++) {
            if (l[i] != (int) l[i]) {
                throw OnnxException.attribute(node, name, "value " + l[i] + " is out of range");
            }
            r[i] = (int) l[i];
        }
        return r;
    }

    float[] reals(String name) {
        AttributeProto a = get(name, AttributeProto.AttributeType.FLOATS);
        if (a == null) {
            return null;
        }
        float[] f = new float[a.getFloatsCount()];
        for (int i = 0; i < f.length; i++) {
            f[i] = a.getFloats(i);
        }
        return f;
    }

    /** A tensor attribute's values, or null when absent. */
    Const tensor(String name) {
        AttributeProto a = get(name, AttributeProto.AttributeType.TENSOR);
        return a == null ? null : Tensors.read(a.getT(), OnnxException.where(node) + ", attribute '" + name + "'");
    }

    /** An attribute the op accepts but whose only supported value is {@code expected} (when present). */
    void require(String name, long expected, String why) {
        long v = integer(name, expected);
        if (v != expected) {
            throw OnnxException.attribute(node, name, "is " + v + "; " + why);
        }
    }

    /** Refuses the first attribute no getter asked for. */
    void checkAllRead() {
        for (String name : byName.keySet()) {
            if (!read.contains(name)) {
                throw OnnxException.attribute(node, name, "is not supported by Retina's " + node.getOpType()
                        + " import");
            }
        }
    }
}
