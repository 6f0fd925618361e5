package org.retina.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.retina.kernel.MergeKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Concatenation of two or more inputs along the channel axis (per-sample axis 0, {@code torch.cat(xs, 1)}), as
 * an Inception block joins its branches; the other dimensions must match.
 */
public final class Concat implements Merge {
    private List<Shape> in;
    private Shape out;
    private int[] sizes;
    /** The training output, kept from step to step as a layer's is (evaluation draws on the model's buffers). */
    private final Reusable result = new Reusable();

    private Concat() { // Concat.of() makes one
    }

    /** A concatenation of the inputs along the channel axis. */
    public static Concat of() {
        return new Concat();
    }

    @Override
    public Shape build(List<Shape> in) {
        if (in.size() < 2) {
            throw new ShapeException(type(), in.size() + " input(s) " + in + ", expected 2 or more");
        }
        Shape first = in.get(0);
        if (first.rank() < 1) {
            throw new ShapeException(type(), "input 0 " + first + " has no channel axis, expected rank >= 1");
        }
        int channels = 0;
        int[] sz = new int[in.size()];
        for (int i = 0; i < in.size(); i++) {
            Shape s = in.get(i);
            if (s.rank() != first.rank() || (i > 0 && !s.dropFirst().equals(first.dropFirst()))) {
                throw new ShapeException(type(), "input " + i + " " + s + " does not match input 0 " + first
                        + ", expected the same dimensions after the channel axis");
            }
            channels += s.dim(0);
            sz[i] = s.size();
        }
        this.in = List.copyOf(in);
        this.sizes = sz;
        int[] dims = first.dims();
        dims[0] = channels;
        out = Shape.of(dims);
        return out;
    }

    @Override
    public Tensor forward(List<Tensor> xs, Mode mode) {
        int n = xs.get(0).dim(0);
        float[][] data = new float[xs.size()][];
        for (int i = 0; i < data.length; i++) {
            data[i] = xs.get(i).data();
        }
        Tensor y = result.output(out.withBatch(n), mode);
        MergeKernels.concat(data, sizes, y.data(), n);
        return y;
    }

    @Override
    public List<Tensor> backward(Tensor gradOut) {
        int n = gradOut.dim(0);
        List<Tensor> grads = new ArrayList<>(in.size());
        float[][] parts = new float[in.size()][];
        for (int i = 0; i < parts.length; i++) {
            // from a model pass's gradient buffers where it has them (the split writes every value), else new
            Tensor g = Buffers.gradient(in.get(i).withBatch(n));
            g = g != null ? g : Tensor.zeros(in.get(i).withBatch(n));
            grads.add(g);
            parts[i] = g.data();
        }
        MergeKernels.split(gradOut.data(), sizes, parts, n);
        return grads;
    }

    @Override
    public String type() {
        return "Concat";
    }

    @Override
    public Map<String, Object> config() {
        return Configs.map();
    }

    /** The inverse of {@link #config()}. */
    public static Concat fromConfig(Map<String, Object> map) {
        return new Concat();
    }

    @Override
    public String toString() {
        return "Concat()";
    }
}
