package org.retina.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.retina.kernel.Engine;
import org.retina.kernel.VectorSupport;
import org.retina.nn.Buffers;
import org.retina.nn.Component;
import org.retina.nn.Layer;
import org.retina.nn.Merge;
import org.retina.nn.Mode;
import org.retina.nn.ShapeException;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * A network: named components wired from one input to one output, in topological order. A model is built once
 * for a per-sample input shape (every geometry is checked then, before any data), then run forward and backward
 * on batches. Forward in {@link Mode#EVAL} changes nothing, so one built model may serve many threads.
 */
public abstract sealed class Model permits Sequential, Graph {
    /** The name of the model's input, usable as a node input in graphs. */
    public static final String INPUT = "input";
    /** The seed {@link #build(Shape)} initializes with. */
    public static final long DEFAULT_SEED = 42;

    /** One component with its name and the names of the nodes it reads. */
    public record Node(String name, Component component, List<String> inputs) {
        /** Copies {@code inputs}, so a node cannot change after it is made. */
        public Node {
            inputs = List.copyOf(inputs);
        }
    }

    private final List<Node> nodes;
    private final String output;
    private final Map<String, Integer> consumers = new HashMap<>();
    private Shape inputShape;
    private final Map<String, Shape> shapes = new LinkedHashMap<>();
    private boolean fuse = true;
    private List<Fusion.Step> steps = List.of();
    /** The arrays evaluation passes, and training passes' input gradients, free and reuse (see {@link Buffers}). */
    private final Buffers buffers = new Buffers();
    private final Buffers gradients = new Buffers();
    private List<Fusion.Step> single = List.of();
    /** The engine the passes run on; null for the caller's current one. */
    private Engine engine;
    /** The plan the last training forward ran, which its backward must follow. */
    private List<Fusion.Step> trained = List.of();

    Model(List<Node> nodes, String output) {
        this.nodes = List.copyOf(nodes);
        this.output = output;
        Map<String, Node> byName = new HashMap<>();
        for (Node n : this.nodes) {
            checkName(n.name());
            if (n.name().equals(INPUT) || byName.put(n.name(), n) != null) {
                throw new IllegalArgumentException("model: the name '" + n.name() + "' is used twice");
            }
            if (n.component() instanceof Layer && n.inputs().size() != 1) {
                throw new IllegalArgumentException("model: layer '" + n.name() + "' takes one input, given "
                        + n.inputs());
            }
            if (n.component() instanceof Merge && n.inputs().size() < 2) {
                throw new IllegalArgumentException("model: merge '" + n.name() + "' takes two or more inputs, given "
                        + n.inputs());
            }
            for (String in : n.inputs()) {
                if (!in.equals(INPUT) && (!byName.containsKey(in) || in.equals(n.name()))) {
                    throw new IllegalArgumentException("model: node '" + n.name() + "' reads '" + in
                            + "', which is not defined before it");
                }
                consumers.merge(in, 1, Integer::sum);
            }
        }
        if (!output.equals(INPUT) && !byName.containsKey(output)) {
            throw new IllegalArgumentException("model: the output '" + output + "' is not a node");
        }
        consumers.merge(output, 1, Integer::sum);
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.contains("/") || !name.strip().equals(name)) {
            throw new IllegalArgumentException("model: node name '" + name
                    + "' is not valid (expected a non-empty name without '/' or surrounding spaces)");
        }
    }

    /** "Sequential" or "Graph". */
    public abstract String kind();

    /** Builds with {@link #DEFAULT_SEED}. */
    public final Model build(Shape input) {
        return build(input, DEFAULT_SEED);
    }

    /**
     * Checks every geometry for this per-sample input shape, allocates the parameters and initializes them from
     * {@code seed}: the same seed gives bit-identical weights on every run.
     */
    public final Model build(Shape input, long seed) {
        VectorSupport.require(); // the kernels' first use: a missing JVM flag is named here, not deep in a kernel
        Checks.distinctComponents(kind(), nodes);
        shapes.clear();
        shapes.put(INPUT, input);
        for (Node n : nodes) {
            try {
                Shape out = switch (n.component()) {
                    case Layer l -> l.build(shapes.get(n.inputs().getFirst()));
                    case Merge m -> m.build(n.inputs().stream().map(shapes::get).toList());
                };
                shapes.put(n.name(), out);
            } catch (ShapeException e) {
                throw e.named(n.name());
            }
        }
        inputShape = input;
        steps = Fusion.plan(nodes, consumers, output, fuse);
        single = Fusion.plan(nodes, consumers, output, false);
        Rng rng = new Rng(seed);
        for (Node n : nodes) {
            n.component().initialize(rng);
        }
        return this;
    }

    /** Whether {@link #build} has run: shapes checked, parameters allocated and initialized. */
    public final boolean isBuilt() {
        return inputShape != null;
    }

    private void requireBuilt() {
        if (inputShape == null) {
            throw new IllegalStateException(kind() + ": build(inputShape) must come before use");
        }
    }

    /**
     * Whether chains of convolution, batch norm, activation and 2x2 pooling run as fused steps ({@link Fusion}; on by
     * default): the same results to float rounding, fewer passes over memory. Off, every layer runs on its own.
     * Passes that must see every node's output (an observer, {@link #outputs}) always run layer by layer.
     */
    public final Model fusion(boolean enabled) {
        fuse = enabled;
        if (isBuilt()) {
            steps = Fusion.plan(nodes, consumers, output, fuse);
        }
        return this;
    }

    /** The execution plan: which nodes run fused (for tests and summaries). */
    final List<Fusion.Step> steps() {
        return steps;
    }

    /**
     * Runs the network on a batch {@code (N, ...inputShape)}. The tensor returned is the last layer's own buffer:
     * the next forward of this model with the same batch size writes over it (training allocates nothing per
     * step). Copy it to keep it; {@link #predict} returns a copy.
     */
    public final Tensor forward(Tensor x, Mode mode) {
        return run(x, mode, Set.of(output), null).get(output);
    }

    /** Sees each node's output as a forward pass makes it (for checks such as the search for non-finite values). */
    @FunctionalInterface
    public interface NodeObserver {
        /** Called with each node's output as it is made, in order; {@code value} is the tensor later nodes read. */
        void output(String node, Tensor value);
    }

    /** {@link #forward(Tensor, Mode)} telling {@code observer} every node's output in order. */
    public final Tensor forward(Tensor x, Mode mode, NodeObserver observer) {
        return run(x, mode, Set.of(output), observer).get(output);
    }

    /**
     * The outputs of the named nodes ({@link #INPUT} included) for a batch, in eval mode and in the order asked:
     * what a layer sees and makes, for feature maps. Nodes after the last one asked for are not run.
     */
    public final Map<String, Tensor> outputs(Tensor x, String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException(kind() + ".outputs: name at least one node");
        }
        for (String name : names) {
            if (!name.equals(INPUT)) {
                node(name);
            }
        }
        Map<String, Tensor> got = run(x, Mode.EVAL, Set.copyOf(Arrays.asList(names)), null);
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (String name : names) {
            ordered.put(name, got.get(name));
        }
        return ordered;
    }

    /**
     * Runs this model's passes on {@code engine} (its threads and choice of kernels) from now on; without one, they
     * run on the engine current where they are called ({@link Engine#current()}: the default unless bound).
     */
    public final Model withEngine(Engine engine) {
        this.engine = java.util.Objects.requireNonNull(engine, "engine");
        return this;
    }

    /** The engine this model's passes run on: the one given to {@link #withEngine}, else the caller's current one. */
    public final Engine engine() {
        return engine != null ? engine : Engine.current();
    }

    /** Runs the nodes in order until every wanted one has its output; frees each value once its readers ran. */
    private Map<String, Tensor> run(Tensor x, Mode mode, Set<String> wanted, NodeObserver observer) {
        // evaluation without an observer (which may keep any value) recycles the values it frees
        Buffers pool = mode == Mode.EVAL && observer == null ? buffers : null;
        java.util.function.Supplier<Map<String, Tensor>> pass = pool == null
                ? () -> runHere(x, mode, wanted, observer, null)
                : () -> pool.call(() -> runHere(x, mode, wanted, null, pool));
        return engine == null ? pass.get() : engine.call(pass);
    }

    private Map<String, Tensor> runHere(Tensor x, Mode mode, Set<String> wanted, NodeObserver observer,
            Buffers pool) {
        requireBuilt();
        if (!x.shape().dropFirst().equals(inputShape)) {
            throw new IllegalArgumentException(kind() + ": input " + x.shape() + ", expected "
                    + inputShape.toBatchString());
        }
        Map<String, Tensor> kept = new HashMap<>();
        if (wanted.contains(INPUT)) {
            kept.put(INPUT, x);
        }
        // fused steps skip their inner nodes' values: only when nobody asks to see them
        List<Fusion.Step> plan = observer == null && wanted.equals(Set.of(output)) ? steps : single;
        if (mode == Mode.TRAIN) {
            trained = plan;
        }
        Map<String, Tensor> values = new HashMap<>();
        Map<String, Integer> left = new HashMap<>(consumers);
        // in training without an observer (which may keep any value), who made each value: see Fusion.forward
        Map<String, Component> producers = mode == Mode.TRAIN && observer == null ? new HashMap<>() : null;
        values.put(INPUT, x);
        for (Fusion.Step st : plan) {
            if (kept.size() == wanted.size()) {
                break;
            }
            Node first = nodes.get(st.first());
            Node n = nodes.get(st.last());
            Tensor y = Fusion.forward(nodes, st, values, left, producers, kept.values(), mode);
            values.put(n.name(), y);
            if (observer != null) {
                observer.output(n.name(), y);
            }
            if (wanted.contains(n.name())) {
                kept.put(n.name(), y);
            }
            for (String in : first.inputs()) {
                if (left.merge(in, -1, Integer::sum) == 0) {
                    Tensor freed = values.remove(in);
                    if (pool != null && freed != null) {
                        pool.giveUnlessHeld(freed, x, values.values(), kept.values());
                    }
                }
            }
        }
        return kept;
    }

    /**
     * Backpropagates the gradient of the output of the last training forward through every node, adding into
     * parameter gradients; returns the gradient of the input.
     */
    public final Tensor backward(Tensor gradOut) {
        return backward(gradOut, true);
    }

    /**
     * As {@link #backward}, for a training step: adds the parameter gradients but does not compute the gradient of
     * the model's input, which a step does not use (the first convolution skips its costliest product).
     */
    public final void backwardParameters(Tensor gradOut) {
        backward(gradOut, false);
    }

    private Tensor backward(Tensor gradOut, boolean inputGradient) {
        requireBuilt();
        java.util.function.Supplier<Tensor> pass = () -> gradients.callForGradients(gradOut,
                () -> Fusion.backward(nodes, trained, output, gradOut, inputGradient));
        return engine == null ? pass.get() : engine.call(pass);
    }

    /**
     * Outputs in eval mode for one sample (the input shape; the result has a batch of one) or a batch, computed
     * {@code batchSize} samples at a time; the result is the caller's own tensor.
     */
    public final Tensor predict(Tensor x, int batchSize) {
        requireBuilt();
        return Checks.predict(this, x.shape().equals(inputShape) ? x.reshape(inputShape.withBatch(1)) : x,
                batchSize);
    }

    /** The nodes in topological order, unmodifiable. */
    public final List<Node> nodes() {
        return nodes;
    }

    /** The node named {@code name}; an error lists the names when there is none. */
    public final Node node(String name) {
        for (Node n : nodes) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException(kind() + ": no node named '" + name + "'; nodes: "
                + nodes.stream().map(Node::name).toList());
    }

    /** The name of the node whose output is the model's output. */
    public final String outputName() {
        return output;
    }

    /** The per-sample input shape the model was built for, {@code (C, H, W)} for images. */
    public final Shape inputShape() {
        requireBuilt();
        return inputShape;
    }

    /** The per-sample output shape, {@code (classes,)} for a classifier. */
    public final Shape outputShape() {
        requireBuilt();
        return shapes.get(output);
    }

    /** The per-sample output shape of a node (or of {@link #INPUT}). */
    public final Shape shapeOf(String name) {
        requireBuilt();
        Shape s = shapes.get(name);
        if (s == null) {
            node(name);
        }
        return s;
    }

    /** Parameters by path ({@code conv1.weight}), in node order. */
    public final Map<String, Parameter> namedParameters() {
        return named(Component::parameters);
    }

    /** Buffers by path ({@code bn1.running_mean}), in node order. */
    public final Map<String, Parameter> namedBuffers() {
        return named(Component::buffers);
    }

    private Map<String, Parameter> named(java.util.function.Function<Component, List<Parameter>> of) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        nodes.forEach(n -> of.apply(n.component()).forEach(p -> m.put(n.name() + "." + p.name(), p)));
        return Collections.unmodifiableMap(m);
    }

    /** Freezes (makes non-trainable) the parameters of the named nodes. */
    public final void freeze(String... names) {
        for (String name : names) {
            node(name).component().parameters().forEach(p -> p.setTrainable(false));
        }
    }

    /** Freezes every node up to and including {@code name}, in topological order. */
    public final void freezeUntil(String name) {
        node(name);
        for (Node n : nodes) {
            n.component().parameters().forEach(p -> p.setTrainable(false));
            if (n.name().equals(name)) {
                return;
            }
        }
    }

    /** Makes every parameter trainable again. */
    public final void unfreezeAll() {
        for (Node n : nodes) {
            n.component().parameters().forEach(p -> p.setTrainable(true));
        }
    }

    /** Clears the gradients of every parameter before the next backward pass. */
    public final void zeroGrad() {
        for (Node n : nodes) {
            n.component().parameters().forEach(Parameter::zeroGrad);
        }
    }

    /** A Keras-like table of the built model. */
    public final Summary summary() {
        requireBuilt();
        return new Summary(this);
    }

    /** Node names in order. */
    public final List<String> names() {
        List<String> l = new ArrayList<>(nodes.size());
        nodes.forEach(n -> l.add(n.name()));
        return l;
    }
}
