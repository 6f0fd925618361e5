package org.retina.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;

/** Learning-rate schedules follow PyTorch's formulas; clipping scales the joint norm; frozen parameters stay. */
class ScheduleAndClipTest {

    @Test
    void schedules() {
        LrSchedule step = new LrSchedule.Step(2, 0.1);
        assertEquals(1, step.factor(0), 0);
        assertEquals(1, step.factor(1.9), 0);
        assertEquals(0.1, step.factor(2), 1e-15);
        assertEquals(0.01, step.factor(5), 1e-15);
        assertEquals(0.9 * 0.9, new LrSchedule.Exponential(0.9).factor(2.5), 1e-15);
        LrSchedule cos = new LrSchedule.Cosine(10, 0.1);
        assertEquals(1, cos.factor(0), 1e-15);
        assertEquals(0.55, cos.factor(5), 1e-12);
        assertEquals(0.1, cos.factor(10), 1e-15);
        assertEquals(0.1, cos.factor(20), 1e-15);
        LrSchedule warm = new LrSchedule.WarmUp(2, new LrSchedule.Step(1, 0.5));
        assertEquals(0.5, warm.factor(1), 1e-15);
        assertEquals(1, warm.factor(2), 1e-15);
        assertEquals(0.5, warm.factor(3), 1e-15);
        assertEquals(new LrSchedule.Cosine(3, 0), LrSchedule.parse("cosine:3"));
        assertEquals(new LrSchedule.Step(4, 0.5), LrSchedule.parse("step:4:0.5"));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.parse("sawtooth"));
    }

    @Test
    void clipByNormScalesTheJointNormAndSkipsFrozen() {
        Parameter a = Parameter.learnable("a", Shape.of(2));
        Parameter b = Parameter.learnable("b", Shape.of(1));
        Parameter frozen = Parameter.learnable("f", Shape.of(1));
        a.grad().data()[0] = 3;
        a.grad().data()[1] = 0;
        b.grad().data()[0] = 4;
        frozen.grad().data()[0] = 100;
        frozen.setTrainable(false);
        double norm = GradClip.byNorm(List.of(a, b, frozen), 1.0);
        assertEquals(5, norm, 1e-12);
        assertEquals(0.6, a.grad().data()[0], 1e-6);
        assertEquals(0.8, b.grad().data()[0], 1e-6);
        assertEquals(100, frozen.grad().data()[0]);
    }

    @Test
    void frozenParametersAreNotUpdated() {
        Parameter p = Parameter.learnable("p", Shape.of(3));
        p.grad().fill(1);
        p.setTrainable(false);
        Optimizer opt = Adam.Config.of(0.1).create(Map.of("p", p));
        opt.step();
        assertEquals(0, p.value().data()[0]);
        p.setTrainable(true);
        opt.step();
        assertEquals(-0.1, p.value().data()[0], 1e-6);
    }

    @Test
    void optimizerStateRoundTrips() {
        Parameter p = Parameter.learnable("p", Shape.of(2));
        p.grad().fill(0.5f);
        Optimizer a = Adam.Config.of(0.01).create(Map.of("p", p));
        a.step();
        a.step();
        Parameter q = Parameter.learnable("p", Shape.of(2));
        q.value().copyFrom(p.value());
        q.grad().fill(0.5f);
        Optimizer b = Adam.Config.of(0.01).create(Map.of("p", q));
        b.loadState(a.state());
        a.step();
        b.step();
        assertEquals(p.value().data()[0], q.value().data()[0], 0);
        assertThrows(IllegalArgumentException.class, () -> b.loadState(Map.of("other/exp_avg",
                org.retina.tensor.Tensor.zeros(2))));
    }
}
