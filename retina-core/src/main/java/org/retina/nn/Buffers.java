package org.retina.nn;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Output arrays of evaluation passes, handed back when no later node reads them and handed out again: a model keeps
 * one, so that inference on large maps allocates (and collects) almost nothing per call. Layers meet it through
 * {@link Reusable#forward} while a model's evaluation pass has it bound; arrays come out zeroed, as new ones would.
 * Calls on several threads share it safely: an array is out (owned by one pass) or in (owned by nobody).
 *
 * <p>A model keeps a second one for the input gradients of its training backward pass ({@link #callForGradients}):
 * a layer draws its input's gradient from it ({@link Reusable#gradient}) and the pass gives each gradient back once
 * the layer below has consumed it, so a deep network holds a few gradient maps at a time, not one per layer.
 */
public final class Buffers {
    private static final ScopedValue<Buffers> CURRENT = ScopedValue.newInstance();
    private static final ScopedValue<Buffers> GRADIENTS = ScopedValue.newInstance();
    private static final ScopedValue<Tensor> INTO = ScopedValue.newInstance();
    private static final ScopedValue<Tensor> GIVEN = ScopedValue.newInstance();
    /** Arrays kept per size: a pass seldom holds more maps of one size at once. */
    private static final int PER_SIZE = 8;

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();

    /** Runs {@code work} with these buffers bound for the layers it runs on this thread. */
    public <T> T call(Supplier<T> work) {
        return ScopedValue.where(CURRENT, this).call(work::get);
    }

    /**
     * Runs {@code work}, a training backward pass from {@code given} (its caller's gradient, which the pass only
     * reads), with these buffers bound for its layers' input gradients.
     */
    public <T> T callForGradients(Tensor given, Supplier<T> work) {
        return ScopedValue.where(GRADIENTS, this).where(GIVEN, given).call(work::get);
    }

    /**
     * Whether a layer's backward may write over {@code gradOut}, as a model's training backward hands it: every
     * gradient such a pass hands on is its receiver's alone (the pass gives it back afterwards), but the caller's.
     */
    public static boolean mayOverwrite(Tensor gradOut) {
        return GRADIENTS.isBound() && GIVEN.get().data() != gradOut.data();
    }

    /**
     * Runs {@code work}, one component's training forward, with its output to be written over {@code target}, the
     * input its model found that nothing reads any more ({@link Component#mayOverwriteInput}).
     */
    public static <T> T overwriting(Tensor target, Supplier<T> work) {
        return ScopedValue.where(INTO, target).call(work::get);
    }

    /** The input a training forward is to write its output over, when its model gave one of {@code shape}. */
    static Tensor overwritten(Shape shape) {
        return INTO.isBound() && INTO.get().shape().equals(shape) ? INTO.get() : null;
    }

    /**
     * A tensor of {@code shape} for an input gradient, contents undefined, while a backward pass has gradient buffers
     * bound (a free array of its size, else a new one); null when none are bound.
     */
    static Tensor gradient(Shape shape) {
        if (!GRADIENTS.isBound()) {
            return null;
        }
        float[] a = GRADIENTS.get().poll(shape.size());
        return a == null ? Tensor.zeros(shape) : Tensor.wrap(a, shape);
    }

    /**
     * Gives {@code t}, a consumed gradient that nothing reads or writes any more, back to the gradient buffers bound
     * to this pass; does nothing when none are.
     */
    public static void release(Tensor t) {
        if (GRADIENTS.isBound()) {
            GRADIENTS.get().give(t);
        }
    }

    /**
     * Gives back {@code consumed}, a gradient read for the last time, unless it is {@code owned}'s array (the caller's
     * own, which it gives back itself or keeps) or one of {@code results} (null ones allowed) still uses its array: a
     * layer may hand on its gradient as it is.
     */
    public static void releaseConsumed(Tensor consumed, Tensor owned, java.util.List<Tensor> results) {
        if (consumed.data() == owned.data()) {
            return;
        }
        for (Tensor r : results) {
            if (r != null && r.data() == consumed.data()) {
                return;
            }
        }
        release(consumed);
    }

    /**
     * A zeroed tensor of {@code shape}: a free array of its size when a model's evaluation pass has its buffers bound,
     * else a new one. For outputs only: the pass takes the array back once no later node reads it.
     */
    public static Tensor zeros(Shape shape) {
        float[] a = pooled(shape);
        if (a == null) {
            return Tensor.zeros(shape);
        }
        Arrays.fill(a, 0f);
        return Tensor.wrap(a, shape);
    }

    /**
     * A tensor of {@code shape} with contents undefined, for an output its caller writes whole (a convolution's, a
     * sum's, a concatenation's, an activation's, a max pool's):
     * as {@link #zeros}, without clearing a reused array first. Clearing a map only to overwrite it cost MobileNet v2
     * a fifth of its inference time (batch 1 12.1 -> 9.5 ms, batch 8 92 -> 74 ms without it, in one process).
     */
    public static Tensor output(Shape shape) {
        float[] a = pooled(shape);
        return a == null ? Tensor.zeros(shape) : Tensor.wrap(a, shape);
    }

    /** A free array of {@code shape}'s size from the evaluation pass's buffers, or null (none bound, none free). */
    private static float[] pooled(Shape shape) {
        return CURRENT.isBound() ? CURRENT.get().poll(shape.size()) : null;
    }

    private synchronized float[] poll(int size) {
        ArrayDeque<float[]> q = free.get(size);
        return q == null ? null : q.poll();
    }

    /**
     * Takes back {@code t}'s array unless the input or a value still live holds it too (a layer may pass its input
     * on as its output, a reshape may share it).
     */
    public void giveUnlessHeld(Tensor t, Tensor input, Collection<Tensor> live, Collection<Tensor> kept) {
        if (t.data() == input.data() || live.stream().anyMatch(v -> v.data() == t.data())
                || kept.stream().anyMatch(v -> v.data() == t.data())) {
            return;
        }
        give(t);
    }

    /** Takes back {@code t}'s array, which nothing may read or write any more. */
    public synchronized void give(Tensor t) {
        ArrayDeque<float[]> q = free.computeIfAbsent(t.data().length, k -> new ArrayDeque<>());
        if (q.size() < PER_SIZE) {
            q.push(t.data());
        }
    }
}
