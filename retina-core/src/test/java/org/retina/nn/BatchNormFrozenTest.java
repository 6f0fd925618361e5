package org.retina.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.optim.Sgd;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;
import org.retina.train.Trainer;

/**
 * Batch norm with its running statistics as constants: the backward pass of the evaluation forward (gradient
 * checked), and the frozen mode of fine-tuning, where a layer whose weight is not trainable normalizes with its
 * running statistics in training too, leaves them alone and computes no parameter gradient.
 */
class BatchNormFrozenTest {

    private static BatchNorm2d layer(Rng rng) {
        BatchNorm2d bn = BatchNorm2d.of();
        bn.build(Shape.of(3, 4, 5));
        // statistics and affine values away from the initial 0 and 1, so that every term shows
        for (int c = 0; c < 3; c++) {
            bn.runningMean().value().data()[c] = 0.3f * c - 0.2f;
            bn.runningVar().value().data()[c] = 0.5f + 0.7f * c;
            bn.weight().value().data()[c] = 1.5f - 0.4f * c;
            bn.bias().value().data()[c] = 0.1f * c;
        }
        return bn;
    }

    @Test
    void evaluationBackwardPassesTheGradientCheck() {
        Rng rng = new Rng(3);
        BatchNorm2d bn = layer(rng);
        Tensor x = GradientCheck.random(Tensor.zeros(Shape.of(2, 3, 4, 5)), rng);
        Tensor r = GradientCheck.random(Tensor.zeros(Shape.of(2, 3, 4, 5)), rng);
        bn.forward(x, Mode.EVAL);
        Tensor gx = bn.backward(r).copy();
        // float32 forward, steps of 1e-2: the check's usual step and tolerance (the map is linear in x)
        GradientCheck.check("input", x, gx, () -> GradientCheck.dot(bn.forward(x, Mode.EVAL), r), 1e-2, 1e-2);
        GradientCheck.check("weight", bn.weight().value(), bn.weight().grad(),
                () -> GradientCheck.dot(bn.forward(x, Mode.EVAL), r), 1e-2, 1e-2);
        GradientCheck.check("bias", bn.bias().value(), bn.bias().grad(),
                () -> GradientCheck.dot(bn.forward(x, Mode.EVAL), r), 1e-2, 1e-2);
    }

    @Test
    void aFrozenLayerTrainsWithItsRunningStatisticsAndNoParameterGradient() {
        Rng rng = new Rng(5);
        BatchNorm2d bn = layer(rng);
        Tensor x = GradientCheck.random(Tensor.zeros(Shape.of(2, 3, 4, 5)), rng);
        Tensor r = GradientCheck.random(Tensor.zeros(Shape.of(2, 3, 4, 5)), rng);
        float[] eval = bn.forward(x, Mode.EVAL).copy().data();
        float[] gEval = bn.backward(r).copy().data();
        bn.weight().zeroGrad();
        bn.bias().zeroGrad();
        float[] mean = bn.runningMean().value().data().clone();
        float[] var = bn.runningVar().value().data().clone();
        bn.weight().setTrainable(false);
        bn.bias().setTrainable(false);
        assertArrayEquals(eval, bn.forward(x, Mode.TRAIN).copy().data(), 0f, "training forward of a frozen layer");
        assertArrayEquals(gEval, bn.backward(r).data(), 0f, "its input gradient");
        assertArrayEquals(mean, bn.runningMean().value().data(), 0f, "running mean untouched");
        assertArrayEquals(var, bn.runningVar().value().data(), 0f, "running variance untouched");
        assertArrayEquals(new float[3], bn.weight().grad().data(), 0f, "no weight gradient");
        assertArrayEquals(new float[3], bn.bias().grad().data(), 0f, "no bias gradient");
    }

    @Test
    void freezingInAFusedChainTakesTheLayerOutOfTheFusion() {
        Model m = Sequential.builder().add("conv", Conv2d.of(4, 3).withPadding(1)).add("bn", BatchNorm2d.of())
                .add("relu", ReLU.of()).add("pool", MaxPool2d.of(2)).add("flatten", Flatten.of())
                .add("fc", Dense.of(3)).build(Shape.of(1, 10, 10), 9);
        Tensor x = GradientCheck.random(Tensor.zeros(Shape.of(4, 1, 10, 10)), new Rng(1));
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(), Sgd.Config.of(0.1));
        t.step(new org.retina.data.Batch(x, new int[] {0, 1, 2, 0}, new int[4]), new int[4]);
        m.freeze("bn");
        float[] mean = m.namedBuffers().get("bn.running_mean").value().data().clone();
        float[] conv = m.namedParameters().get("conv.weight").value().data().clone();
        float[] eval = m.forward(x, Mode.EVAL).copy().data();
        assertArrayEquals(eval, m.forward(x, Mode.TRAIN).copy().data(), 1e-6f,
                "a frozen batch norm in a conv-bn-relu-pool chain normalizes as in evaluation");
        t.step(new org.retina.data.Batch(x, new int[] {0, 1, 2, 0}, new int[4]), new int[4]);
        assertArrayEquals(mean, m.namedBuffers().get("bn.running_mean").value().data(), 0f, "statistics kept");
        float moved = 0;
        for (int i = 0; i < conv.length; i++) {
            moved = Math.max(moved, Math.abs(conv[i] - m.namedParameters().get("conv.weight").value().data()[i]));
        }
        assertEquals(true, moved > 0, "the convolution below the frozen layer still learns");
    }
}
