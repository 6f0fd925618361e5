package org.retina.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;

/** Convolution is equivariant to translation: shifting the input shifts the output, away from the borders. */
class ConvPropertyTest {

    @Test
    void aShiftedInputShiftsTheOutput() {
        Rng rng = new Rng(4);
        for (int trial = 0; trial < 20; trial++) {
            int k = 1 + rng.nextInt(5);
            int d = 1 + rng.nextInt(2);
            int dy = rng.nextInt(4);
            int dx = rng.nextInt(4);
            int h = 12 + rng.nextInt(6);
            int w = 12 + rng.nextInt(6);
            Conv2d c = Conv2d.of(3, k).withDilation(d);
            Shape out = c.build(Shape.of(2, h, w));
            c.initialize(rng);
            Tensor x = GradientCheck.random(Tensor.zeros(1, 2, h, w), rng);
            Tensor shifted = Tensor.zeros(1, 2, h, w);
            for (int ch = 0; ch < 2; ch++) {
                for (int i = 0; i + dy < h; i++) {
                    for (int j = 0; j + dx < w; j++) {
                        shifted.set(x.get(0, ch, i, j), 0, ch, i + dy, j + dx);
                    }
                }
            }
            Tensor y = c.forward(x, Mode.EVAL);
            Tensor ys = c.forward(shifted, Mode.EVAL);
            for (int o = 0; o < 3; o++) {
                for (int i = dy; i < out.dim(1); i++) {
                    for (int j = dx; j < out.dim(2); j++) {
                        // same windows, same products: only the summation order may differ
                        assertEquals(y.get(0, o, i - dy, j - dx), ys.get(0, o, i, j), 1e-5,
                                "k " + k + " d " + d + " shift " + dy + "," + dx);
                    }
                }
            }
        }
    }
}
