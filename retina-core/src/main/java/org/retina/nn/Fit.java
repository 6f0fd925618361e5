package org.retina.nn;

/**
 * What a sliding window does when {@code (W - F + 2P)/S + 1} is not a whole number.
 * {@link #STRICT} throws; {@link #PAD_TO_FIT} adds zero padding at the bottom and right until it fits;
 * {@link #FLOOR} drops the last rows and columns (PyTorch's and Keras's rule); {@link #CEIL} (pooling only)
 * lets the last window hang over the edge, PyTorch's {@code ceil_mode}.
 */
public enum Fit {
    /** Throws a {@link ShapeException} naming the formula's value. */
    STRICT,
    /** Adds zero padding at the bottom and right until the last window fits. */
    PAD_TO_FIT,
    /** Drops the last rows and columns that no window covers, PyTorch's and Keras's rule. */
    FLOOR,
    /** Lets the last window hang over the edge, PyTorch's {@code ceil_mode}; pooling only. */
    CEIL;

    /** The name in configs: {@code strict}, {@code pad-to-fit}, {@code floor} or {@code ceil}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The fit named {@code s}, by its key or by its constant name in any case. */
    public static Fit parse(String s) {
        for (Fit f : values()) {
            if (f.key().equals(s) || f.name().equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw new IllegalArgumentException("fit: '" + s + "', expected one of strict, pad-to-fit, floor, ceil");
    }
}
