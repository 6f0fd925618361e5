package org.retina.train;

import java.util.ArrayList;
import java.util.List;
import org.retina.io.LayerRegistry;
import org.retina.model.Graph;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.Component;
import org.retina.nn.Dense;
import org.retina.nn.Layer;
import org.retina.tensor.Parameter;

/**
 * Fine-tuning a trained model on a new task: a new classifier head for another number of classes, and the rest
 * frozen so that training changes only the head. The head is the model's last {@link Dense} layer in node order
 * (the one producing the class scores); layers after it without weights (a softmax) stay as they are.
 */
public final class FineTune {
    private FineTune() {
    }

    /** The name of the head: the last Dense node. */
    public static String head(Model model) {
        String head = null;
        for (Model.Node n : model.nodes()) {
            if (n.component() instanceof Dense) {
                head = n.name();
            }
        }
        if (head == null) {
            throw new IllegalArgumentException("fine-tune: the model has no Dense layer to serve as the classifier"
                    + " head; nodes: " + model.names());
        }
        return head;
    }

    /**
     * A new model, built for the same input, with the same nodes and names, whose head is a fresh Dense layer of
     * {@code numClasses} outputs initialized from {@code seed} (PyTorch's default initialization); every other
     * parameter and buffer holds a copy of {@code model}'s values, and keeps its trainable flag. {@code model}
     * itself is left unchanged.
     */
    public static Model replaceHead(Model model, int numClasses, long seed) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("fine-tune: numClasses is " + numClasses + ", expected >= 1");
        }
        String head = head(model);
        Dense old = (Dense) model.node(head).component();
        Model copy = rebuild(model, head, Dense.of(numClasses).withBias(old.settings().bias()));
        copy.build(model.inputShape(), seed);
        for (Model.Node n : copy.nodes()) {
            if (!n.name().equals(head)) {
                Component from = model.node(n.name()).component();
                copyValues(from.parameters(), n.component().parameters());
                copyValues(from.buffers(), n.component().buffers());
            }
        }
        return copy;
    }

    /** Freezes every parameter but the head's, which becomes trainable. */
    public static void freezeAllButHead(Model model) {
        String head = head(model);
        for (Model.Node n : model.nodes()) {
            n.component().parameters().forEach(p -> p.setTrainable(n.name().equals(head)));
        }
    }

    private static Model rebuild(Model model, String replaced, Layer replacement) {
        List<Model.Node> nodes = new ArrayList<>();
        for (Model.Node n : model.nodes()) {
            Component c = n.name().equals(replaced) ? replacement
                    : LayerRegistry.create(n.component().type(), n.component().config());
            nodes.add(new Model.Node(n.name(), c, n.inputs()));
        }
        if (model instanceof Sequential) {
            Sequential.Builder b = Sequential.builder();
            nodes.forEach(n -> b.add(n.name(), (Layer) n.component()));
            return b.build();
        }
        Graph.Builder g = Graph.builder();
        nodes.forEach(n -> g.add(n.name(), n.component(), n.inputs().toArray(String[]::new)));
        return g.build(model.outputName());
    }

    private static void copyValues(List<Parameter> from, List<Parameter> to) {
        for (int i = 0; i < to.size(); i++) {
            to.get(i).value().copyFrom(from.get(i).value());
            if (!to.get(i).isBuffer()) {
                to.get(i).setTrainable(from.get(i).trainable());
            }
        }
    }
}
