package org.retina.viz;

import static org.retina.viz.HtmlReport.esc;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.retina.train.EpochResult;
import org.retina.train.History;
import org.retina.train.Monitor;
import org.retina.train.StepResult;

/**
 * One page comparing training runs, the way experiment trackers do: loss and accuracy curves overlaid (one colour
 * a run; training smoothed per step, validation per epoch dashed), the final figures side by side, and the
 * hyper-parameters in one table with the rows that differ marked. Self-contained like the run report.
 */
public final class Comparison {
    /** matplotlib's ten colours, one a run. */
    private static final int[] PALETTE = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2,
        0x7f7f7f, 0xbcbd22, 0x17becf};

    private Comparison() {
    }

    /**
     * What a run brings: its name (the folder), history, steps (may be empty), hyper-parameters, timings and
     * results (test accuracy and loss, the kept epoch; may be empty for older runs).
     */
    public record Run(String name, History history, List<StepResult> steps, Map<String, Object> settings,
                      Map<String, Object> timings, Map<String, Object> results) {
        /** Copies the lists and maps. */
        public Run {
            steps = List.copyOf(steps);
            settings = Map.copyOf(settings);
            timings = Map.copyOf(timings);
            results = Map.copyOf(results);
            Objects.requireNonNull(history, "history");
        }
    }

    /** The overlaid curves: loss and accuracy, every run in its colour. */
    public static BufferedImage curves(List<Run> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("Comparison: no run to compare");
        }
        List<Charts.Panel> panels = new ArrayList<>();
        for (Monitor metric : List.of(Monitor.LOSS, Monitor.ACCURACY)) {
            boolean acc = metric == Monitor.ACCURACY;
            List<Charts.Series> series = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                Run r = runs.get(i);
                Color c = new Color(PALETTE[i % PALETTE.length]);
                List<EpochResult> epochs = r.history().epochs();
                double[] ex = epochs.stream().mapToDouble(EpochResult::epoch).toArray();
                if (!r.steps().isEmpty()) {
                    double[] x = r.steps().stream().mapToDouble(StepResult::progress).toArray();
                    double[] raw = r.steps().stream().mapToDouble(acc ? StepResult::accuracy : StepResult::loss)
                            .toArray();
                    series.add(new Charts.Series(r.name(), x, Charts.smooth(raw,
                            Charts.smoothingWeight(raw.length)), c, false));
                } else if (!epochs.isEmpty()) {
                    series.add(new Charts.Series(r.name(), ex, r.history().series(metric), c, false));
                }
                if (epochs.stream().anyMatch(EpochResult::hasValidation)) {
                    series.add(new Charts.Series("", ex, r.history().series(metric.validation()), c, true));
                }
            }
            panels.add(new Charts.Panel(acc ? "Accuracy" : "Loss", "epoch", acc ? "accuracy" : "cross-entropy loss",
                    series, acc, Double.NaN, ""));
        }
        return Charts.lines(panels);
    }

    /** The comparison page as HTML text. */
    public static String html(String title, List<Run> runs) {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:;")
                .append(" style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<link rel=\"icon\" href=\"data:,\">\n<title>").append(esc(title)).append("</title>\n<style>")
                .append(HtmlStyle.CSS).append(".diff th, .diff td { background: #fff6d6; }\n")
                .append("</style>\n</head>\n<body>\n<main>\n<header>\n<h1>").append(esc(title)).append("</h1>\n")
                .append("<p class=\"hint\">").append(runs.size()).append(" runs: ")
                .append(esc(String.join(", ", runs.stream().map(Run::name).toList()))).append("</p>\n</header>\n");
        BufferedImage curves = curves(runs);
        h.append("<section id=\"curves\">\n<h2>Curves</h2>\n<figure>\n<img src=\"").append(Png.dataUri(curves))
                .append("\" width=\"").append(curves.getWidth() / Draw.SCALE).append("\" height=\"")
                .append(curves.getHeight() / Draw.SCALE).append("\" alt=\"Loss and accuracy of every run\">\n")
                .append("<figcaption>One colour a run. Solid: training, each step's figure smoothed by a moving")
                .append(" average (per epoch for runs without a step log); dashed: validation after each epoch.")
                .append("</figcaption>\n</figure>\n</section>\n");
        h.append("<section id=\"results\">\n<h2>Results</h2>\n<table>\n<thead><tr><th></th>");
        for (int i = 0; i < runs.size(); i++) {
            h.append("<th class=\"num\" style=\"color:#").append(String.format("%06x", PALETTE[i % PALETTE.length]))
                    .append("\">").append(esc(runs.get(i).name())).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        row(h, "test accuracy", runs, r -> pct(r.results().get("test_accuracy")));
        row(h, "test loss", runs, r -> num(r.results().get("test_loss"), "%.4f"));
        row(h, "kept epoch", runs, r -> HtmlTables.value(r.results().get("best_epoch")));
        row(h, "best validation accuracy", runs, r -> best(r.history(), Monitor.VAL_ACCURACY));
        row(h, "lowest validation loss", runs, r -> best(r.history(), Monitor.VAL_LOSS));
        row(h, "final training accuracy", runs, r -> r.history().isEmpty() ? "–"
                : HtmlReport.pct(r.history().last().accuracy()));
        row(h, "epochs", runs, r -> Integer.toString(r.history().epochs().size()));
        row(h, "training seconds", runs, r -> HtmlTables.value(r.timings().get("training_seconds")));
        row(h, "training images/s", runs, r -> HtmlTables.value(r.timings().get("training_images_per_second")));
        h.append("</tbody>\n</table>\n</section>\n");
        h.append("<section id=\"settings\">\n<h2>Hyper-parameters</h2>\n<p class=\"hint\">Rows that differ between"
                + " the runs are marked.</p>\n<table>\n<thead><tr><th></th>");
        for (Run r : runs) {
            h.append("<th>").append(esc(r.name())).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        Set<String> keys = new LinkedHashSet<>();
        for (Run r : runs) {
            keys.addAll(r.settings().keySet().stream().sorted().toList());
        }
        for (String k : keys) {
            Set<String> distinct = new LinkedHashSet<>();
            for (Run r : runs) {
                distinct.add(HtmlTables.value(r.settings().get(k)));
            }
            h.append(distinct.size() > 1 ? "<tr class=\"diff\">" : "<tr>").append("<th>")
                    .append(esc(k.replace('_', ' '))).append("</th>");
            for (Run r : runs) {
                h.append("<td>").append(esc(HtmlTables.value(r.settings().get(k)))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n<footer>Made by Retina.</footer>\n</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, String label, List<Run> runs,
                            java.util.function.Function<Run, String> value) {
        h.append("<tr><th>").append(esc(label)).append("</th>");
        for (Run r : runs) {
            h.append("<td class=\"num\">").append(esc(value.apply(r))).append("</td>");
        }
        h.append("</tr>\n");
    }

    private static String pct(Object v) {
        return v instanceof Number n ? HtmlReport.pct(n.doubleValue()) : "–";
    }

    private static String num(Object v, String format) {
        return v instanceof Number n ? String.format(Locale.ROOT, format, n.doubleValue()) : "–";
    }

    private static String best(History history, Monitor metric) {
        boolean highest = metric.higherIsBetter();
        double best = highest ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        for (double v : history.series(metric)) {
            if (Double.isFinite(v)) {
                best = highest ? Math.max(best, v) : Math.min(best, v);
            }
        }
        if (!Double.isFinite(best)) {
            return "–";
        }
        return highest ? HtmlReport.pct(best) : String.format(Locale.ROOT, "%.4f", best);
    }
}
