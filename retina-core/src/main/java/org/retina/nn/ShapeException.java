package org.retina.nn;

/**
 * A model that cannot be built: a geometry that does not fit, an output below 1, channels that do not
 * match. The message names the layer, the input shape, the parameters and the formula's value.
 */
public final class ShapeException extends IllegalArgumentException {
    /** The layer type, as {@link Component#type()} names it. */
    private final String type;
    /** The layer's name in its model, or null when not yet known. */
    private final String layerName;
    /** What does not fit, without the layer's type and name. */
    private final String detail;

    /** An error in a layer of type {@code type}, not yet named; {@link #named} adds the name. */
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

    /** The layer's name in its model, or null when the error was not raised through a model. */
    public String layerName() {
        return layerName;
    }
}
