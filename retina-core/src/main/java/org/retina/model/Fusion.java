package org.retina.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.retina.nn.Add;
import org.retina.nn.Buffers;
import org.retina.nn.BlockPart;
import org.retina.nn.Component;
import org.retina.nn.Conv2d;
import org.retina.nn.ConvBlock;
import org.retina.nn.Layer;
import org.retina.nn.Merge;
import org.retina.nn.Mode;
import org.retina.tensor.Tensor;

/**
 * The model's execution plan: nodes in order, with each chain of layers that {@link ConvBlock} can run (a
 * convolution, then batch norm, activation and pooling as their {@link Layer#blockPart} says; at least two) run as
 * one block over the model's own layers. A chain only grows through nodes whose single consumer is the next one and
 * that are not the model's output, so no value anyone can see is skipped. This is an optimization of the model, not
 * of the layers: every layer keeps its own contract when run alone, and {@link Model#fusion(boolean)} turns it off.
 */
final class Fusion {
    /** The smallest output plane a block pays for; see {@link #pays}. */
    private static final int MIN_PLANE = 64;

    private Fusion() {
    }

    /** Nodes {@code [first, last]} run as one step: by their own layer when {@code block} is null. */
    record Step(int first, int last, ConvBlock block) {
    }

    /**
     * Runs {@code st}'s forward on its inputs among {@code values}. With {@code producers} (a training pass nobody
     * observes; the step's producer is added) the component may write its output over an input, as
     * {@link Component#mayOverwriteInput} allows, when this step is its last reader, its producer's backward does not
     * read it, it is not {@code kept} and no other value shares its array: how a residual sum and the ReLU after it
     * keep no maps of their own.
     */
    static Tensor forward(List<Model.Node> nodes, Step st, Map<String, Tensor> values, Map<String, Integer> left,
            Map<String, Component> producers, Collection<Tensor> kept, Mode mode) {
        Model.Node n = nodes.get(st.last());
        Component made = st.block() != null ? st.block() : n.component();
        Supplier<Tensor> run = () -> switch (made) {
            case Layer l -> l.forward(values.get(nodes.get(st.first()).inputs().getFirst()), mode);
            case Merge m -> m.forward(n.inputs().stream().map(values::get).toList(), mode);
        };
        if (producers == null) {
            return run.get();
        }
        Tensor into = st.block() != null ? null : overwritable(n, values, left, producers, kept);
        producers.put(n.name(), made);
        return into == null ? run.get() : Buffers.overwriting(into, run);
    }

    private static Tensor overwritable(Model.Node n, Map<String, Tensor> values, Map<String, Integer> left,
            Map<String, Component> producers, Collection<Tensor> kept) {
        for (int i = 0; i < n.inputs().size(); i++) {
            String in = n.inputs().get(i);
            Component producer = producers.get(in);
            if (producer == null || producer.backwardReadsOutput() || left.get(in) != 1
                    || !n.component().mayOverwriteInput(i)) {
                continue;
            }
            Tensor v = values.get(in);
            boolean shared = kept.stream().anyMatch(t -> t.data() == v.data()) || values.entrySet().stream()
                    .anyMatch(e -> !e.getKey().equals(in) && e.getValue().data() == v.data());
            if (!shared) {
                return v;
            }
        }
        return null;
    }

    static List<Step> plan(List<Model.Node> nodes, Map<String, Integer> consumers, String output, boolean fuse) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < nodes.size(); ) {
            int last = fuse ? chainEnd(nodes, consumers, output, i) : i;
            if (last > i) {
                List<Layer> layers = new ArrayList<>();
                for (int k = i; k <= last; k++) {
                    layers.add((Layer) nodes.get(k).component());
                }
                steps.add(new Step(i, last, ConvBlock.over(layers)));
            } else {
                steps.add(new Step(i, i, null));
            }
            i = last + 1;
        }
        return List.copyOf(steps);
    }

    /**
     * Whether a block headed by this built layer pays: a convolution to planes of 64 or more (smaller ones gain
     * nothing from a pass per plane, a 5x5 convolution to 1x1 say).
     */
    private static boolean pays(Layer head) {
        return head instanceof Conv2d c && c.geometry() != null && c.geometry().outPlane() >= MIN_PLANE;
    }

    /** The last node of the fusable chain starting at {@code i}, or {@code i} when there is none. */
    private static int chainEnd(List<Model.Node> nodes, Map<String, Integer> consumers, String output, int i) {
        if (!(nodes.get(i).component() instanceof Layer head) || !pays(head)) {
            return i;
        }
        int j = i;
        BlockPart.Stage stage = BlockPart.Stage.CONV;
        while (j + 1 < nodes.size() && feedsOnlyNext(nodes, consumers, output, j)) {
            BlockPart part = nodes.get(j + 1).component() instanceof Layer next ? next.blockPart() : null;
            if (part == null || part.stage().compareTo(stage) <= 0) {
                break;
            }
            stage = part.stage();
            j++;
        }
        return j;
    }

    /** Whether node {@code j + 1} reads only node {@code j}, whose value nothing else reads. */
    private static boolean feedsOnlyNext(List<Model.Node> nodes, Map<String, Integer> consumers, String output, int j) {
        String name = nodes.get(j).name();
        Model.Node next = nodes.get(j + 1);
        return !name.equals(output) && consumers.getOrDefault(name, 0) == 1 && next.inputs().equals(List.of(name));
    }

    /**
     * Backpropagates through {@code plan} (the one the last training forward ran), adding into parameter gradients;
     * returns the gradient of the model's input, or null when {@code inputGradient} is false.
     */
    static Tensor backward(List<Model.Node> nodes, List<Step> plan, String output, Tensor gradOut,
                           boolean inputGradient) {
        Map<String, Tensor> grads = new HashMap<>();
        grads.put(output, gradOut);
        // every gradient in the map but the caller's own is an array no one else reads: sums go into it in place
        Tensor callers = gradOut;
        Map<String, Boolean> trains = trainsAtOrAbove(nodes);
        for (int i = plan.size() - 1; i >= 0; i--) {
            Step st = plan.get(i);
            Model.Node n = nodes.get(st.first());
            Tensor g = grads.remove(nodes.get(st.last()).name());
            if (g == null) {
                continue;
            }
            String in = n.inputs().getFirst();
            // below the lowest layer that learns, nothing needs a gradient (fine-tuning a frozen base)
            boolean need = inputGradient || trains.getOrDefault(in, false);
            switch (st.block() != null ? st.block() : n.component()) {
                case Layer l -> {
                    Tensor below = null;
                    if (need) {
                        below = l.backward(g);
                    } else {
                        l.backwardParameters(g);
                    }
                    Buffers.releaseConsumed(g, callers, java.util.Collections.singletonList(below));
                    if (below != null) {
                        accumulate(grads, in, below, callers);
                    }
                }
                case Merge m -> {
                    List<Tensor> gs = m.backward(g);
                    Buffers.releaseConsumed(g, callers, gs);
                    for (int k = 0; k < gs.size(); k++) {
                        accumulate(grads, n.inputs().get(k), gs.get(k), callers);
                    }
                }
            }
        }
        return grads.get(Model.INPUT);
    }

    /** For each node, whether it or a node it reads from (directly or not) has a trainable parameter. */
    private static Map<String, Boolean> trainsAtOrAbove(List<Model.Node> nodes) {
        Map<String, Boolean> t = new HashMap<>();
        t.put(Model.INPUT, false);
        for (Model.Node n : nodes) {
            boolean any = n.component().parameters().stream().anyMatch(p -> p.trainable());
            for (String in : n.inputs()) {
                any |= t.getOrDefault(in, false);
            }
            t.put(n.name(), any);
        }
        return t;
    }

    private static void accumulate(Map<String, Tensor> grads, String name, Tensor g, Tensor callers) {
        Tensor prev = grads.get(name);
        if (prev == null) {
            grads.put(name, g);
        } else {
            Tensor into = prev.data() == callers.data() ? prev.copy() : prev;
            grads.put(name, Add.sumInto(into, g));
            Buffers.releaseConsumed(g, callers, List.of(into));
        }
    }
}
