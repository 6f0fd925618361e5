package org.retina.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.retina.nn.Component;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;

/**
 * A Keras-like table of a built model: one row per node with its output shape, parameter count,
 * multiply-accumulates and activation memory per sample, then totals (trainable, non-trainable, buffers), the
 * nodes holding most parameters and most activation memory (in a classic CNN the early convolutions hold most
 * activations, the last dense layers most parameters), and an estimate of training memory.
 * Floor-mode layers that leave input pixels unread are marked.
 */
public final class Summary {

    /** One node's figures; {@code droppedPixels} > 0 marks a floor-mode layer that leaves input unread. */
    public record Row(String name, String type, List<String> inputs, Shape output, long params, long trainable,
                      long macs, long activationBytes, int droppedPixels, int inputPixels) {
    }

    private final String kind;
    private final Shape input;
    private final List<Row> rows = new ArrayList<>();
    private final long buffers;

    Summary(Model model) {
        this.kind = model.kind();
        this.input = model.inputShape();
        long buf = 0;
        for (Model.Node n : model.nodes()) {
            Component c = n.component();
            long params = 0;
            long trainable = 0;
            for (Parameter p : c.parameters()) {
                params += p.size();
                trainable += p.trainable() ? p.size() : 0;
            }
            for (Parameter p : c.buffers()) {
                buf += p.size();
            }
            Shape out = model.shapeOf(n.name());
            Shape in = model.shapeOf(n.inputs().getFirst());
            rows.add(new Row(n.name(), c.type(), n.inputs(), out, params, trainable, c.macs(), 4L * out.size(),
                    c.droppedInputPixels(), in.size()));
        }
        this.buffers = buf;
    }

    /** One row per node, in topological order. */
    public List<Row> rows() {
        return rows;
    }

    /** Learned parameters of every node, trainable or frozen; buffers are not counted. */
    public long totalParameters() {
        return rows.stream().mapToLong(Row::params).sum();
    }

    /** Parameters the optimizer may update. */
    public long trainableParameters() {
        return rows.stream().mapToLong(Row::trainable).sum();
    }

    /** Frozen parameters: all parameters less the trainable ones. */
    public long nonTrainableParameters() {
        return totalParameters() - trainableParameters();
    }

    /** Elements of state that is saved but not learned (batch-norm running statistics). */
    public long bufferElements() {
        return buffers;
    }

    /** Multiply-accumulates of one forward pass over one sample. */
    public long totalMacs() {
        return rows.stream().mapToLong(Row::macs).sum();
    }

    /** Bytes of all node outputs for one sample, the input included. */
    public long activationBytesPerSample() {
        return 4L * input.size() + rows.stream().mapToLong(Row::activationBytes).sum();
    }

    /**
     * An estimate of the memory training takes at {@code batch}: weights, gradients and {@code optimizerSlots}
     * state arrays per parameter, plus each node's output kept for backward and a gradient of the same size.
     */
    public long trainingBytes(int batch, int optimizerSlots) {
        long params = 4L * (totalParameters() + buffers) * (2 + optimizerSlots);
        return params + 2L * batch * activationBytesPerSample();
    }

    /** The table as text; {@code batch} > 0 adds the training-memory estimate for that batch (Adam's two slots). */
    public String format(int batch) {
        boolean graph = kind.equals("Graph");
        String[] head = graph
                ? new String[] {"Layer (type)", "Output shape", "Params", "MACs", "Memory", "Connected to"}
                : new String[] {"Layer (type)", "Output shape", "Params", "MACs", "Memory"};
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"input (Input)", input.toBatchString(), "0", "0", bytes(4L * input.size()), ""});
        boolean anyDropped = false;
        for (Row r : rows) {
            String name = r.name + " (" + r.type + ")" + (r.droppedPixels > 0 ? " *" : "");
            anyDropped |= r.droppedPixels > 0;
            cells.add(new String[] {name, r.output.toBatchString(), count(r.params), count(r.macs),
                    bytes(r.activationBytes), String.join(", ", r.inputs)});
        }
        int cols = head.length;
        int[] w = new int[cols];
        for (int c = 0; c < cols; c++) {
            w[c] = head[c].length();
            for (String[] row : cells) {
                w[c] = Math.max(w[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Model: ").append(kind).append(", input ").append(input.toBatchString()).append('\n');
        int width = 0;
        for (int c = 0; c < cols; c++) {
            width += w[c] + (c > 0 ? 3 : 0);
        }
        String rule = "=".repeat(width) + "\n";
        sb.append(rule);
        appendRow(sb, head, w);
        sb.append("-".repeat(width)).append('\n');
        for (String[] row : cells) {
            appendRow(sb, row, w);
        }
        sb.append(rule);
        long total = totalParameters();
        sb.append("Total params: ").append(count(total)).append(" (").append(bytes(4 * total)).append(")\n");
        sb.append("Trainable params: ").append(count(trainableParameters())).append('\n');
        sb.append("Non-trainable params: ").append(count(nonTrainableParameters())).append('\n');
        if (buffers > 0) {
            sb.append("Buffers (running statistics): ").append(count(buffers)).append('\n');
        }
        sb.append("MACs per sample: ").append(count(totalMacs())).append('\n');
        sb.append("Activation memory per sample: ").append(bytes(activationBytesPerSample())).append('\n');
        sb.append("Most parameters: ").append(largest(Row::params, total)).append('\n');
        sb.append("Most activation memory: ").append(largest(Row::activationBytes, activationBytesPerSample()))
                .append('\n');
        if (batch > 0) {
            sb.append("Estimated training memory at batch ").append(batch).append(" (Adam): ")
                    .append(bytes(trainingBytes(batch, 2))).append(" (lower the batch size if it does not fit)\n");
        }
        if (anyDropped) {
            for (Row r : rows) {
                if (r.droppedPixels > 0) {
                    sb.append("* ").append(r.name).append(": floor mode leaves ").append(count(r.droppedPixels))
                            .append(" of ").append(count(r.inputPixels)).append(" input values unread\n");
                }
            }
        }
        return sb.toString();
    }

    /** The three largest rows by {@code value} as shares of {@code total}: {@code fc1 60.5%, fc2 26.9%}. */
    private String largest(ToLongFunction<Row> value, long total) {
        List<String> top = rows.stream().filter(r -> value.applyAsLong(r) > 0)
                .sorted(Comparator.comparingLong(value).reversed()).limit(3)
                .map(r -> String.format(Locale.ROOT, "%s %.1f%%", r.name, 100.0 * value.applyAsLong(r) / total))
                .toList();
        return top.isEmpty() ? "none" : String.join(", ", top);
    }

    private static void appendRow(StringBuilder sb, String[] row, int[] w) {
        for (int c = 0; c < w.length; c++) {
            if (c > 0) {
                sb.append("   ");
            }
            boolean right = c == 2 || c == 3 || c == 4;
            String cell = row[c];
            if (right) {
                sb.append(" ".repeat(w[c] - cell.length())).append(cell);
            } else if (c == w.length - 1) {
                sb.append(cell);
            } else {
                sb.append(cell).append(" ".repeat(w[c] - cell.length()));
            }
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }

    /** {@code 62378344} as {@code 62,378,344}. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Bytes in B, KiB, MiB or GiB. */
    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    @Override
    public String toString() {
        return format(0);
    }
}
