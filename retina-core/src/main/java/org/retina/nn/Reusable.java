package org.retina.nn;

import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * A tensor a layer keeps for its training outputs or gradients: the same array for as long as the batch shape
 * repeats, so training steps allocate nothing. Forward in {@link Mode#EVAL} never uses one (a built model serves
 * predictions from many threads; layers change nothing then): it draws on the model's {@link Buffers} instead.
 */
final class Reusable {
    private Tensor kept;
    private int[] keptInts;

    /** A tensor of {@code shape}, contents undefined: the kept one when the shape is the same, else a new one. */
    Tensor get(Shape shape) {
        Tensor t = kept;
        if (t == null || !t.shape().equals(shape)) {
            t = Tensor.zeros(shape);
            kept = t;
        }
        return t;
    }

    /**
     * The output of a forward: kept and reused in training (or the input its model lets it overwrite, see
     * {@link Buffers#overwriting}); in evaluation a zeroed one of its own, from the model's {@link Buffers} when its
     * pass has them bound.
     */
    Tensor forward(Shape shape, Mode mode) {
        return mode == Mode.TRAIN ? train(shape) : Buffers.zeros(shape);
    }

    /**
     * As {@link #forward}, for an output the layer writes whole: in evaluation the array from the model's
     * {@link Buffers} is not cleared first (training hands out the kept one, uncleared, as always).
     */
    Tensor output(Shape shape, Mode mode) {
        return mode == Mode.TRAIN ? train(shape) : Buffers.output(shape);
    }

    /** A training output: the input to overwrite when the model gave one, else the kept tensor (left as it is). */
    private Tensor train(Shape shape) {
        Tensor into = Buffers.overwritten(shape);
        return into != null ? into : get(shape);
    }

    /**
     * A tensor of {@code shape} for an input gradient, contents undefined: from the gradient buffers a model's
     * training backward binds (the pass takes it back once the gradient is consumed), else the kept one.
     */
    Tensor gradient(Shape shape) {
        Tensor t = Buffers.gradient(shape);
        return t != null ? t : get(shape);
    }

    /** An int array of {@code size}, contents undefined, kept like the tensor. */
    int[] ints(int size) {
        int[] a = keptInts;
        if (a == null || a.length != size) {
            a = new int[size];
            keptInts = a;
        }
        return a;
    }
}
