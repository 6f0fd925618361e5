package org.retina.onnx;

import org.retina.onnx.proto.Onnx.NodeProto;

/**
 * An ONNX file Retina cannot read or represent: not ONNX, truncated, or using an op, an op version or an attribute
 * value Retina does not support. The message names the node, its op and the attribute, and says what is expected.
 */
public final class OnnxException extends IllegalArgumentException {

    /** An error whose message says what in the file is wrong and what is expected. */
    public OnnxException(String message) {
        super(message);
    }

    /** An error wrapping {@code cause}, a Retina check that failed while a node was converted. */
    public OnnxException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code node 'conv1' (Conv)}: how errors name a node. */
    static String where(NodeProto node) {
        String name = node.getName().isEmpty()
                ? (node.getOutputCount() > 0 ? "producing '" + node.getOutput(0) + "'" : "#?")
                : "'" + node.getName() + "'";
        return "ONNX node " + name + " (" + node.getOpType() + ")";
    }

    /** An error about the node as a whole: an unsupported use of its op. */
    static OnnxException of(NodeProto node, String detail) {
        return new OnnxException(where(node) + ": " + detail);
    }

    /** An error about one attribute or input of the node. */
    static OnnxException attribute(NodeProto node, String attribute, String detail) {
        return new OnnxException(where(node) + ", attribute '" + attribute + "': " + detail);
    }
}
