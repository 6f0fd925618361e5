package org.retina.nn;

import java.util.Map;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Flattens each sample channel-major, {@code (C, H, W) -> (C*H*W)}, as {@code torch.flatten(x, 1)}.
 * The data order is unchanged, so forward and backward are reshapes; both copy the data once, so the tensor
 * returned never shares its array with one the caller holds (a loader may refill its batch, a graph may hand
 * the same tensor to several consumers).
 */
public final class Flatten implements Layer {
    private Shape in;
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();

    private Flatten() { // Flatten.of() makes one
    }

    /** Flattens everything after the batch dimension. */
    public static Flatten of() {
        return new Flatten();
    }

    @Override
    public Shape build(Shape in) {
        if (in.rank() < 1) {
            throw new ShapeException(type(), "input " + in + " has no dimension to flatten, expected rank >= 1");
        }
        this.in = in;
        return Shape.of(in.size());
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = out.forward(Shape.of(x.dim(0), in.size()), mode);
        System.arraycopy(x.data(), 0, y.data(), 0, y.size());
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor g = grad.gradient(in.withBatch(gradOut.dim(0)));
        System.arraycopy(gradOut.data(), 0, g.data(), 0, g.size());
        return g;
    }

    @Override
    public String type() {
        return "Flatten";
    }

    @Override
    public Map<String, Object> config() {
        return Configs.map();
    }

    /** The inverse of {@link #config()}. */
    public static Flatten fromConfig(Map<String, Object> map) {
        return new Flatten();
    }

    @Override
    public String toString() {
        return "Flatten()";
    }
}
