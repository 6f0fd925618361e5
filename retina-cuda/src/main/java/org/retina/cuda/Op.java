package org.retina.cuda;

import java.util.List;
import org.retina.nn.Component;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;

/**
 * One node of a model as the GPU runs it. The engine owns the activation and gradient buffers and hands each op the
 * pointers of its inputs, its output, and where its inputs' gradients go ({@code 0}: not needed), with {@code acc}
 * telling whether to add to what an earlier consumer already wrote there.
 */
abstract class Op {
    final String name;
    final Component component;
    /** Per-sample output shape. */
    final Shape out;

    Op(String name, Component component, Shape out) {
        this.name = name;
        this.component = component;
        this.out = out;
    }

    /** Elements of one sample's output. */
    final long outSize() {
        return out.size();
    }

    /** Called before a batch of {@code n} when {@code n} changes: descriptors, algorithm choices, scratch. */
    void prepare(CudaEngine e, int n) {
    }

    /** Computes {@code y} from {@code x} (one pointer per input). */
    abstract void forward(CudaEngine e, int n, long[] x, long y, boolean train);

    /**
     * From {@code gy} (the gradient of this op's output), writes the parameters' gradients and, for each input with
     * a non-zero {@code gx}, the input's gradient (added when {@code acc}).
     */
    abstract void backward(CudaEngine e, int n, long[] x, long y, long gy, long[] gx, boolean[] acc);

    /** The parameters whose values and gradients live in the engine's flat buffers. */
    List<Parameter> parameters() {
        return component.parameters();
    }

    /** Device state beside parameters (running statistics), copied back by {@code synchronize}. */
    void download(CudaEngine e) {
    }

    /** Frees what {@link #prepare} and construction took. */
    void close(CudaEngine e) {
    }

    static int flag(boolean b) {
        return b ? 1 : 0;
    }
}
