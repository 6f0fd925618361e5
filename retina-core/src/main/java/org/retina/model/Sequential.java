package org.retina.model;

import java.util.ArrayList;
import java.util.List;
import org.retina.tensor.Shape;
import org.retina.nn.Layer;

/** A plain stack of layers, each reading the one before; unnamed layers are named by position, as PyTorch does. */
public final class Sequential extends Model {

    private Sequential(List<Node> nodes) {
        super(nodes, nodes.isEmpty() ? INPUT : nodes.getLast().name());
    }

    /** Layers named "0", "1", ... */
    public static Sequential of(Layer... layers) {
        Builder b = builder();
        for (Layer l : layers) {
            b.add(l);
        }
        return b.build();
    }

    /** A builder for a stack of named layers. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String kind() {
        return "Sequential";
    }

    /** Collects named layers in order. */
    public static final class Builder {
        private final List<Node> nodes = new ArrayList<>();

        /** An empty stack; {@link Sequential#builder()} is the usual way in. */
        public Builder() {
        }

        /** Adds a layer named by its position. */
        public Builder add(Layer layer) {
            return add(Integer.toString(nodes.size()), layer);
        }

        /** Adds {@code layer} named {@code name}, reading the layer added before it (or the input). */
        public Builder add(String name, Layer layer) {
            String in = nodes.isEmpty() ? INPUT : nodes.getLast().name();
            nodes.add(new Node(name, layer, List.of(in)));
            return this;
        }

        /** The stack of the layers added so far; at least one is needed. */
        public Sequential build() {
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("Sequential: no layers");
            }
            return new Sequential(nodes);
        }

        /**
         * The stack built for the per-sample input shape {@code input} in one call, weights drawn with the default
         * seed: what {@code build().build(input)} does.
         */
        public Sequential build(Shape input) {
            return build(input, DEFAULT_SEED);
        }

        /** The stack built for {@code input}, its weights initialized from {@code seed}. */
        public Sequential build(Shape input, long seed) {
            Sequential s = build();
            s.build(input, seed);
            return s;
        }
    }
}
