package org.retina.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.retina.tensor.Tensor;

/** The gradient check on a kink: ReLU at an input closer to 0 than the step. */
class GradientCheckTest {

    private static double relu(Tensor x) {
        double s = 0;
        for (float v : x.data()) {
            s += Math.max(v, 0f);
        }
        return s;
    }

    @Test
    void theSlopeOfTheInputsSideOfAKinkPasses() {
        Tensor x = Tensor.of(new float[] {0.004f, -0.003f, 0.5f}, 3);
        Tensor right = Tensor.of(new float[] {1, 0, 1}, 3);
        GradientCheck.check("relu", x, right, () -> relu(x), 1e-2, 1e-2);
    }

    @Test
    void aWrongGradientAtAKinkStillFails() {
        Tensor x = Tensor.of(new float[] {0.004f, -0.003f, 0.5f}, 3);
        Tensor wrong = Tensor.of(new float[] {0.5f, 0, 1}, 3);
        assertThrows(AssertionFailedError.class, () -> GradientCheck.check("relu", x, wrong, () -> relu(x), 1e-2, 1e-2));
        Tensor swapped = Tensor.of(new float[] {0, 1, 1}, 3);
        assertThrows(AssertionFailedError.class,
                () -> GradientCheck.check("relu", x, swapped, () -> relu(x), 1e-2, 1e-2));
    }
}
