package org.retina.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.retina.kernel.MergeKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** Elementwise sum of two or more inputs of one shape, {@code y = x0 + x1 + ...} (a residual connection). */
public final class Add implements Merge {
    private int inputs;
    private final Reusable out = new Reusable();
    /** Per input, where its gradient is copied to; made at the first backward. */
    private Reusable[] copies;

    private Add() { // Add.of() makes one
    }

    /** A sum of the inputs, two or more of one shape. */
    public static Add of() {
        return new Add();
    }

    @Override
    public Shape build(List<Shape> in) {
        if (in.size() < 2) {
            throw new ShapeException(type(), in.size() + " input(s) " + in + ", expected 2 or more");
        }
        Shape first = in.get(0);
        for (int i = 1; i < in.size(); i++) {
            if (!in.get(i).equals(first)) {
                throw new ShapeException(type(), "input " + i + " " + in.get(i) + " does not match input 0 " + first
                        + ", expected equal shapes");
            }
        }
        inputs = in.size();
        return first;
    }

    @Override
    public Tensor forward(List<Tensor> xs, Mode mode) {
        float[][] data = new float[xs.size()][];
        for (int i = 0; i < data.length; i++) {
            data[i] = xs.get(i).data();
        }
        // a training output is the one kept from the last step, as a layer's is, or an input the model gave over
        Tensor y = out.output(xs.get(0).shape(), mode);
        if (data.length == 2 && data[1] == y.data()) {
            // the sum starts by copying its first term into y: over the second input it starts there (b + a == a + b)
            data = new float[][] {data[1], data[0]};
        }
        MergeKernels.sum(data, y.data(), y.size());
        return y;
    }

    /** None: its gradient is the same for every output value. */
    @Override
    public boolean backwardReadsOutput() {
        return false;
    }

    /**
     * Input 0, or either of two: the sum copies its first term into the output, then adds the others value by value.
     */
    @Override
    public boolean mayOverwriteInput(int i) {
        return i == 0 || inputs == 2;
    }

    /**
     * {@code a + b}, summed as a forward pass sums, written into {@code a}'s array (which the caller owns and no one
     * else reads), and {@code a} returned: how a model adds the gradients of a value that two nodes read, without a
     * new array per step.
     */
    public static Tensor sumInto(Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("Add: shapes " + a.shape() + " and " + b.shape() + ", expected equal");
        }
        MergeKernels.sum(new float[][] {a.data(), b.data()}, a.data(), a.size());
        return a;
    }

    /**
     * Every input receives {@code gradOut}, each in an array of its own (from the model's gradient buffers in a
     * training backward, else kept from call to call) so that no two gradients share one: a model adds other
     * gradients into them in place.
     */
    @Override
    public List<Tensor> backward(Tensor gradOut) {
        if (copies == null || copies.length != inputs) {
            copies = new Reusable[inputs];
            for (int i = 0; i < inputs; i++) {
                copies[i] = new Reusable();
            }
        }
        List<Tensor> grads = new ArrayList<>(inputs);
        for (int i = 0; i < inputs; i++) {
            Tensor c = copies[i].gradient(gradOut.shape());
            System.arraycopy(gradOut.data(), 0, c.data(), 0, c.size());
            grads.add(c);
        }
        return grads;
    }

    @Override
    public String type() {
        return "Add";
    }

    @Override
    public Map<String, Object> config() {
        return Configs.map();
    }

    /** The inverse of {@link #config()}. */
    public static Add fromConfig(Map<String, Object> map) {
        return new Add();
    }

    @Override
    public String toString() {
        return "Add()";
    }
}
