package org.retina.viz;

import static org.retina.viz.HtmlReport.esc;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.retina.model.Summary;
import org.retina.train.EpochResult;
import org.retina.train.History;

/** The tables of the report page: the model summary, key-value lists and the per-epoch figures. */
final class HtmlTables {
    private HtmlTables() {
    }

    /** The Keras-like table: one row per node, then the totals. */
    static void summary(StringBuilder h, Summary s) {
        boolean graph = s.rows().stream().anyMatch(r -> r.inputs().size() > 1);
        h.append("<table class=\"summary\">\n<thead><tr><th>layer</th><th>type</th><th>output shape</th>")
                .append("<th class=\"num\">parameters</th><th class=\"num\">MACs</th><th class=\"num\">memory</th>")
                .append(graph ? "<th>inputs</th>" : "").append("</tr></thead>\n<tbody>\n");
        for (Summary.Row r : s.rows()) {
            h.append("<tr><td>").append(esc(r.name())).append("</td><td>").append(esc(r.type())).append("</td><td>")
                    .append(esc(r.output().toBatchString())).append("</td><td class=\"num\">")
                    .append(Summary.count(r.params())).append("</td><td class=\"num\">").append(Summary.count(r.macs()))
                    .append("</td><td class=\"num\">").append(Summary.bytes(r.activationBytes())).append("</td>")
                    .append(graph ? "<td>" + esc(String.join(", ", r.inputs())) + "</td>" : "").append("</tr>\n");
        }
        h.append("</tbody>\n<tfoot><tr><td colspan=\"3\">total (").append(Summary.count(s.trainableParameters()))
                .append(" trainable)</td><td class=\"num\">").append(Summary.count(s.totalParameters()))
                .append("</td><td class=\"num\">").append(Summary.count(s.totalMacs()))
                .append("</td><td class=\"num\">").append(Summary.bytes(s.activationBytesPerSample()))
                .append("</td>").append(graph ? "<td></td>" : "")
                .append("</tr></tfoot>\n</table>\n<p class=\"hint\">MACs and memory are per image; memory is the size"
                        + " of each layer's output.</p>\n");
    }

    /** A two-column table headed {@code title}; keys written {@code batch_size} read as "batch size". */
    static void keyValues(StringBuilder h, String title, Map<String, Object> values) {
        h.append("<div>\n<h3>").append(esc(title)).append("</h3>\n<table class=\"kv\">\n<tbody>\n");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            h.append("<tr><th>").append(esc(e.getKey().replace('_', ' '))).append("</th><td>")
                    .append(esc(value(e.getValue()))).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</div>\n");
    }

    /** Every epoch: losses, accuracies, learning rate, time and speed. */
    static void epochs(StringBuilder h, History history) {
        boolean val = history.epochs().stream().anyMatch(EpochResult::hasValidation);
        h.append("<h3>Epochs</h3>\n<table class=\"epochs\">\n<thead><tr><th class=\"num\">epoch</th>")
                .append("<th class=\"num\">loss</th><th class=\"num\">accuracy</th>")
                .append(val ? "<th class=\"num\">validation loss</th><th class=\"num\">validation accuracy</th>" : "")
                .append("<th class=\"num\">learning rate</th><th class=\"num\">seconds</th>")
                .append("<th class=\"num\">images/s</th></tr></thead>\n<tbody>\n");
        for (EpochResult e : history.epochs()) {
            h.append("<tr>");
            cell(h, Integer.toString(e.epoch()));
            cell(h, String.format(Locale.ROOT, "%.4f", e.loss()));
            cell(h, HtmlReport.pct(e.accuracy()));
            if (val) {
                cell(h, e.hasValidation() ? String.format(Locale.ROOT, "%.4f", e.valLoss()) : "–");
                cell(h, e.hasValidation() ? HtmlReport.pct(e.valAccuracy()) : "–");
            }
            cell(h, value(e.learningRate()));
            cell(h, String.format(Locale.ROOT, "%.1f", e.seconds()));
            cell(h, String.format(Locale.ROOT, "%,.0f", e.imagesPerSecond()));
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void cell(StringBuilder h, String s) {
        h.append("<td class=\"num\">").append(esc(s)).append("</td>");
    }

    /** Whole numbers without decimals and with thousands separators, others with up to six significant digits, lists joined by commas. */
    static String value(Object v) {
        return switch (v) {
            case null -> "–";
            case Double d when d == Math.rint(d) && Math.abs(d) < 1e15 -> Summary.count(d.longValue());
            case Long l -> Summary.count(l);
            case Integer i -> Summary.count(i);
            case Double d -> String.format(Locale.ROOT, "%.6g", d).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2")
                    .replace(".e", "e").replaceAll("\\.$", "");
            case List<?> l -> String.join(", ", l.stream().map(HtmlTables::value).toList());
            default -> v.toString();
        };
    }
}
