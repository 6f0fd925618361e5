package org.retina.testing;

import java.util.List;
import java.util.function.Supplier;
import org.retina.nn.Add;
import org.retina.nn.Arithmetic;
import org.retina.nn.Concat;
import org.retina.nn.Merge;
import org.retina.nn.Multiply;
import org.retina.tensor.Shape;

/** The table of merge cases (components with several inputs) that the merge contract checks run over. */
public final class MergeCases {
    private MergeCases() {
    }

    /** A case: a fresh merge, its per-sample input shapes, a batch size and the expected output shape. */
    public record Case(String name, Supplier<Merge> merge, List<Shape> inputs, int batch, Shape output) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Input shapes that must not build, with a fragment the error must contain. */
    public record Bad(String name, Supplier<Merge> merge, List<Shape> inputs, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Case> all() {
        return List.of(
                new Case("add two images", Add::of, List.of(Shape.of(3, 4, 4), Shape.of(3, 4, 4)), 2,
                        Shape.of(3, 4, 4)),
                new Case("add three vectors", Add::of, List.of(Shape.of(5), Shape.of(5), Shape.of(5)), 3, Shape.of(5)),
                new Case("add 1x1 spatial, batch 1", Add::of, List.of(Shape.of(2, 1, 1), Shape.of(2, 1, 1)), 1,
                        Shape.of(2, 1, 1)),
                new Case("concat two images", Concat::of, List.of(Shape.of(2, 3, 3), Shape.of(3, 3, 3)), 2,
                        Shape.of(5, 3, 3)),
                new Case("concat three vectors", Concat::of, List.of(Shape.of(2), Shape.of(1), Shape.of(4)), 3,
                        Shape.of(7)),
                new Case("concat one channel each, batch 1", Concat::of, List.of(Shape.of(1, 2, 3), Shape.of(1, 2, 3)),
                        1, Shape.of(2, 2, 3)),
                new Case("multiply two images", Multiply::of, List.of(Shape.of(2, 3, 3), Shape.of(2, 3, 3)), 2,
                        Shape.of(2, 3, 3)),
                new Case("multiply two vectors, batch 1", Multiply::of, List.of(Shape.of(5), Shape.of(5)), 1,
                        Shape.of(5)),
                new Case("multiply by a per-channel gate", Multiply::of, List.of(Shape.of(3, 4, 5), Shape.of(3, 1, 1)),
                        2, Shape.of(3, 4, 5)),
                new Case("multiply a gate by a map", Multiply::of, List.of(Shape.of(2, 1, 1), Shape.of(2, 3, 2)), 2,
                        Shape.of(2, 3, 2)),
                new Case("multiply broadcasting both ways", Multiply::of, List.of(Shape.of(3, 1, 4), Shape.of(2, 1)),
                        2, Shape.of(3, 2, 4)),
                new Case("add broadcasting a row", () -> Arithmetic.of(Arithmetic.Op.ADD),
                        List.of(Shape.of(2, 3, 4), Shape.of(4)), 2, Shape.of(2, 3, 4)),
                new Case("subtract a per-channel mean", () -> Arithmetic.of(Arithmetic.Op.SUBTRACT),
                        List.of(Shape.of(3, 4, 5), Shape.of(3, 1, 1)), 2, Shape.of(3, 4, 5)),
                new Case("subtract from a gate", () -> Arithmetic.of(Arithmetic.Op.SUBTRACT),
                        List.of(Shape.of(2, 1, 1), Shape.of(2, 3, 2)), 2, Shape.of(2, 3, 2)),
                new Case("divide equal shapes", () -> Arithmetic.of(Arithmetic.Op.DIVIDE),
                        List.of(Shape.of(2, 3), Shape.of(2, 3)), 3, Shape.of(2, 3)),
                new Case("divide by a per-position norm", () -> Arithmetic.of(Arithmetic.Op.DIVIDE),
                        List.of(Shape.of(3, 2, 2), Shape.of(1, 2, 2)), 2, Shape.of(3, 2, 2)),
                new Case("multiply by one value per sample", Multiply::of, List.of(Shape.of(2, 3, 3), Shape.of(1)), 3,
                        Shape.of(2, 3, 3)));
    }

    public static List<Bad> bad() {
        return List.of(
                new Bad("add shapes differ", Add::of, List.of(Shape.of(3, 4, 4), Shape.of(3, 4, 5)),
                        "input 1 (3, 4, 5) does not match input 0 (3, 4, 4)"),
                new Bad("add one input", Add::of, List.of(Shape.of(3)), "expected 2 or more"),
                new Bad("concat spatial sizes differ", Concat::of,
                        List.of(Shape.of(2, 3, 3), Shape.of(2, 3, 3), Shape.of(2, 3, 4)),
                        "input 2 (2, 3, 4) does not match input 0 (2, 3, 3)"),
                new Bad("concat ranks differ", Concat::of, List.of(Shape.of(2, 3, 3), Shape.of(6)),
                        "input 1 (6,) does not match input 0 (2, 3, 3)"),
                new Bad("concat scalars", Concat::of, List.of(Shape.of(), Shape.of()), "has no channel axis"),
                new Bad("concat no inputs", Concat::of, List.of(), "expected 2 or more"),
                new Bad("subtract shapes that do not broadcast", () -> Arithmetic.of(Arithmetic.Op.SUBTRACT),
                        List.of(Shape.of(3, 4), Shape.of(2, 4)), "input 1 (2, 4) does not match input 0 (3, 4)"),
                new Bad("multiply three inputs", Multiply::of, List.of(Shape.of(2), Shape.of(2), Shape.of(2)),
                        "expected 2"),
                new Bad("multiply shapes differ", Multiply::of, List.of(Shape.of(2, 3), Shape.of(3, 2)),
                        "input 1 (3, 2) does not match input 0 (2, 3), expected equal shapes or shapes that broadcast"));
    }
}
