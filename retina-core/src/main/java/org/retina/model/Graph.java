package org.retina.model;

import java.util.ArrayList;
import java.util.List;
import org.retina.tensor.Shape;
import org.retina.nn.Component;

/**
 * A directed acyclic graph of named components, for residual and inception blocks: each node names the nodes
 * it reads ({@link Model#INPUT} for the model's input); merges ({@code Add}, {@code Concat}) read several.
 */
public final class Graph extends Model {

    private Graph(List<Node> nodes, String output) {
        super(nodes, output);
    }

    /** A builder for a graph, node by node. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String kind() {
        return "Graph";
    }

    /** Adds nodes in an order where every input is defined before it is read. */
    public static final class Builder {
        private final List<Node> nodes = new ArrayList<>();

        /** An empty graph; {@link Graph#builder()} is the usual way in. */
        public Builder() {
        }

        /** Adds {@code component} named {@code name}, reading {@code inputs}; returns the name, to wire further. */
        public String add(String name, Component component, String... inputs) {
            nodes.add(new Node(name, component, List.of(inputs)));
            return name;
        }

        /** The graph whose output is the node {@code output}. */
        public Graph build(String output) {
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("Graph: no nodes");
            }
            return new Graph(nodes, output);
        }

        /** The graph whose output is {@code output}, built for {@code input} in one call (the default seed). */
        public Graph build(String output, Shape input) {
            return build(output, input, DEFAULT_SEED);
        }

        /** The graph whose output is {@code output}, built for {@code input} with weights from {@code seed}. */
        public Graph build(String output, Shape input, long seed) {
            Graph g = build(output);
            g.build(input, seed);
            return g;
        }
    }
}
