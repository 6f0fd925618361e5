package org.retina.nn;

import java.util.List;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** A component with several inputs, for graph models: {@link Add}, {@link Concat}. */
public non-sealed interface Merge extends Component {

    /** Checks the per-sample input shapes and returns the output shape. */
    Shape build(List<Shape> in);

    /** {@code xs}: one {@code (N, ...)} batch per input, in input order; returns the merged batch. */
    Tensor forward(List<Tensor> xs, Mode mode);

    /** The gradients of the inputs, in input order. */
    List<Tensor> backward(Tensor gradOut);
}
