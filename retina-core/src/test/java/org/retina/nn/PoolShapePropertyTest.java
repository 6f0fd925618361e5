package org.retina.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;

/**
 * Over many random geometries of every windowed pooling layer: the output size per axis is
 * {@code (W - F + 2P)/S + 1} (with {@code F = dilation*(k-1) + 1}) when that is whole, STRICT names the
 * formula's value when it is not, and FLOOR, CEIL (PyTorch's rule) and PAD_TO_FIT round as documented.
 */
class PoolShapePropertyTest {
    private static final int GEOMETRIES = 500;

    /** One axis of a random geometry: size, kernel, stride, padding per side, dilation. */
    private record Axis(int size, int k, int s, int p, int d) {
        int span() {
            return size + 2 * p - d * (k - 1) - 1;
        }

        boolean fits() {
            return span() >= 0 && span() % s == 0;
        }

        String formula() {
            return "(" + size + " - " + (d * (k - 1) + 1) + " + " + 2 * p + ")/" + s + " + 1 = ";
        }

        int out(Fit fit) {
            int whole = Math.floorDiv(span(), s) + 1;
            if (span() % s == 0 || fit == Fit.FLOOR) {
                return whole;
            }
            int ceil = whole + 1;
            // PyTorch's ceil_mode: the last window must start inside the input or the left padding
            return fit == Fit.CEIL && (ceil - 1) * s >= size + p ? ceil - 1 : ceil;
        }

        /** Pad-to-fit's extra window may start beyond the input (stride above the window), reading only padding. */
        boolean lastWindowBeyondInput(Fit fit) {
            return (out(fit) - 1) * s - p >= size;
        }
    }

    private enum Kind { MAX, AVG, LP, GAUSSIAN }

    /** Padding at most half the kernel (PyTorch's rule), no dilation with padding: every window reads the input. */
    private static Axis axis(Rng r, Kind kind) {
        int k = 1 + r.nextInt(6);
        int p = kind == Kind.LP ? 0 : r.nextInt(k / 2 + 1);
        int d = kind == Kind.MAX || kind == Kind.AVG ? (p == 0 ? 1 + r.nextInt(3) : 1) : 1;
        return new Axis(1 + r.nextInt(20), k, 1 + r.nextInt(4), p, d);
    }

    private static Layer layer(Kind kind, Axis h, Axis w, Fit fit) {
        return switch (kind) {
            case MAX -> MaxPool2d.of(h.k, w.k).withStride(h.s, w.s).withPadding(h.p, w.p).withDilation(h.d, w.d)
                    .withFit(fit);
            case AVG -> AvgPool2d.of(h.k, w.k).withStride(h.s, w.s).withPadding(h.p, w.p).withDilation(h.d, w.d)
                    .withFit(fit);
            case LP -> LpPool2d.of(h.k, w.k).withStride(h.s, w.s).withFit(fit);
            case GAUSSIAN -> GaussianPool2d.of(h.k, w.k).withStride(h.s, w.s).withPadding(h.p, w.p).withFit(fit);
        };
    }

    @Test
    void strictIsTheFormulaWhenWholeAndNamesItsValueWhenNot() {
        Rng r = new Rng(21);
        int whole = 0, fractional = 0;
        for (int t = 0; t < GEOMETRIES; t++) {
            Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
            Axis h = axis(r, kind), w = axis(r, kind);
            Layer layer = layer(kind, h, w, Fit.STRICT);
            Shape in = Shape.of(1 + r.nextInt(3), h.size, w.size);
            String what = layer + " on " + in;
            // the height is checked before the width: the first axis that does not fit is named
            Axis bad = !h.fits() ? h : !w.fits() ? w : null;
            if (bad == null) {
                assertEquals(Shape.of(in.dim(0), h.span() / h.s + 1, w.span() / w.s + 1), layer.build(in), what);
                whole++;
            } else {
                ShapeException e = assertThrows(ShapeException.class, () -> layer.build(in), what);
                assertTrue(e.getMessage().startsWith(layer.type() + ": input " + h.size + "x" + w.size),
                        e.getMessage());
                String value = bad.span() < 0 ? "smaller than the kernel"
                        : bad.formula() + ((double) bad.span() / bad.s + 1) + " is not a whole number";
                assertTrue(e.getMessage().contains(value), () -> "'" + e.getMessage() + "' lacks '" + value + "'");
                fractional += bad.span() < 0 ? 0 : 1;
            }
        }
        assertTrue(whole > 50 && fractional > 50, "both outcomes drawn often: " + whole + " / " + fractional);
    }

    @Test
    void floorCeilAndPadToFitRound() {
        Rng r = new Rng(22);
        for (int t = 0; t < GEOMETRIES; t++) {
            Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
            Axis h = axis(r, kind), w = axis(r, kind);
            if (h.span() < 0 || w.span() < 0) {
                continue;
            }
            for (Fit fit : new Fit[] {Fit.FLOOR, Fit.CEIL, Fit.PAD_TO_FIT}) {
                Layer layer = layer(kind, h, w, fit);
                Shape in = Shape.of(2, h.size, w.size);
                if (h.lastWindowBeyondInput(fit) || w.lastWindowBeyondInput(fit)) {
                    ShapeException e = assertThrows(ShapeException.class, () -> layer.build(in), layer + " on " + in);
                    assertTrue(e.getMessage().contains("reads only padding"), e.getMessage());
                } else {
                    assertEquals(Shape.of(2, h.out(fit), w.out(fit)), layer.build(in), layer + " on " + in);
                }
            }
        }
    }
}
