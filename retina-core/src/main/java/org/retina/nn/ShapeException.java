package org.retina.nn;

/**
 * A model that cannot be built: a geometry that does not fit, an output below 1, channels that do not
 * match. The message names the layer, the input shape, the parameters and the formula's value.
 */
public final class ShapeException extends IllegalArgumentException {
    private final String type;
    private final String layerName;
    private final String detail;

    public ShapeException(String type, String detail) {
        this(type, null, detail);
    }

    private ShapeException(String type, String layerName, String detail) {
        super(type + (layerName == null ? "" : " '" + layerName + "'") + ": " + detail);
        this.type = type;
        this.layerName = layerName;
        this.detail = detail;
    }

    /** The same error, naming the layer as its model does. */
    public ShapeException named(String name) {
        ShapeException e = new ShapeException(type, name, detail);
        e.setStackTrace(getStackTrace());
        return e;
    }

    public String layerName() {
        return layerName;
    }
}
