package org.retina.nn;

import java.util.List;

/**
 * Zero padding of a sliding window: explicit sizes per side, {@code valid} (none) or {@code same}
 * (as much as keeps {@code out = ceil(in / stride)}, the extra pixel at the bottom and right, as Keras does).
 */
public record Padding(Kind kind, int top, int bottom, int left, int right) {

    /** How the sizes are given. */
    public enum Kind { /** Sizes given per side. */ EXPLICIT, /** Sizes from the input and stride. */ SAME }

    /** No padding, {@code valid}. */
    public static final Padding VALID = new Padding(Kind.EXPLICIT, 0, 0, 0, 0);
    /** As much padding as keeps {@code out = ceil(in / stride)}, Keras's {@code same}. */
    public static final Padding SAME = new Padding(Kind.SAME, 0, 0, 0, 0);

    /** Rejects negative sizes. */
    public Padding {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("padding: (" + top + ", " + bottom + ", " + left + ", " + right
                    + "), expected sizes >= 0");
        }
    }

    /** {@code p} pixels on every side. */
    public static Padding of(int p) {
        return new Padding(Kind.EXPLICIT, p, p, p, p);
    }

    /** {@code h} rows at top and bottom, {@code w} columns at left and right. */
    public static Padding of(int h, int w) {
        return new Padding(Kind.EXPLICIT, h, h, w, w);
    }

    /** Explicit sizes per side; they may differ. */
    public static Padding of(int top, int bottom, int left, int right) {
        return new Padding(Kind.EXPLICIT, top, bottom, left, right);
    }

    /** Whether the sizes follow the {@code same} rule rather than being given. */
    public boolean isSame() {
        return kind == Kind.SAME;
    }

    /** For configs: a number, {@code [h, w]}, {@code [top, bottom, left, right]}, or "same". */
    public Object toConfig() {
        if (kind == Kind.SAME) {
            return "same";
        }
        if (top == bottom && left == right) {
            return top == left ? (Object) top : List.of(top, left);
        }
        return List.of(top, bottom, left, right);
    }

    /** The inverse of {@link #toConfig()}; also reads {@code "valid"}. */
    public static Padding fromConfig(Object o) {
        if (o instanceof String s) {
            return switch (s) {
                case "same" -> SAME;
                case "valid" -> VALID;
                default -> throw new IllegalArgumentException("padding: '" + s + "', expected same, valid, a number"
                        + " or a list of 2 or 4 numbers");
            };
        }
        if (o instanceof Number n) {
            return of(n.intValue());
        }
        if (o instanceof List<?> l && (l.size() == 2 || l.size() == 4)) {
            int[] v = l.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
            return v.length == 2 ? of(v[0], v[1]) : of(v[0], v[1], v[2], v[3]);
        }
        throw new IllegalArgumentException("padding: " + o + ", expected same, valid, a number or a list of 2 or 4"
                + " numbers");
    }

    @Override
    public String toString() {
        if (kind == Kind.SAME) {
            return "same";
        }
        if (top == bottom && left == right) {
            return top == left ? Integer.toString(top) : top + "x" + left;
        }
        return "(" + top + ", " + bottom + ", " + left + ", " + right + ")";
    }
}
