package org.retina.viz;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.retina.model.Summary;
import org.retina.train.EpochResult;
import org.retina.train.Evaluation;
import org.retina.train.History;

/**
 * One self-contained HTML page of a training run: key figures, pictures embedded as base64 PNG, per-class
 * accuracy, the model summary, hyper-parameters and timings. It loads nothing from anywhere (its
 * Content-Security-Policy forbids it); a live page polls its own server and reloads when a new epoch is in.
 */
public final class HtmlReport {

    private HtmlReport() {
    }

    /** Where a figure goes on the page. */
    public enum Section {
        /** The training curves. */
        TRAINING("Training"),
        /** The confusion matrix and per-class accuracy. */
        TEST("Test set"),
        /** Random test images and the mistakes. */
        PREDICTIONS("Predictions"),
        /** First-layer filters and feature maps. */
        LEARNED("What the network learned");

        final String heading;

        Section(String heading) {
            this.heading = heading;
        }
    }

    /** A picture with its heading and a sentence saying how to read it. */
    public record Figure(Section section, String id, String heading, String caption, BufferedImage image) {
    }

    /**
     * A live page: it asks {@code versionPath} (relative to the page) every {@code pollMillis} and reloads when the
     * answer differs from {@code version}; {@code status} says where training stands.
     */
    public record Live(long version, String status, String versionPath, int pollMillis) {
    }

    /**
     * What the page shows; {@code summary}, {@code history}, {@code evaluation} and {@code live} may be null and
     * {@code settings} and {@code timings} empty, which leaves their parts out.
     */
    public record Page(String title, Summary summary, History history, Evaluation evaluation, List<Figure> figures,
                       Map<String, Object> settings, Map<String, Object> timings, Live live) {
        /** Copies the figures; null settings or timings become empty maps. */
        public Page {
            figures = List.copyOf(figures);
            settings = settings == null ? Map.of() : settings;
            timings = timings == null ? Map.of() : timings;
        }
    }

    /** The page as HTML text. */
    public static String html(Page p) {
        StringBuilder h = new StringBuilder(1 << 16);
        String csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
                + (p.live() != null ? "; script-src 'unsafe-inline'; connect-src 'self'" : "");
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(csp).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<link rel=\"icon\" href=\"data:,\">\n") // no favicon request to any server
                .append("<title>").append(esc(p.title())).append("</title>\n<style>").append(HtmlStyle.CSS)
                .append("</style>\n</head>\n<body>\n<main>\n<header>\n<h1>").append(esc(p.title())).append("</h1>\n");
        if (p.live() != null) {
            h.append("<p class=\"live\"><span class=\"dot\"></span>Live: ").append(esc(p.live().status()))
                    .append("</p>\n");
        }
        cards(h, p);
        h.append("</header>\n");
        for (Section s : Section.values()) {
            List<Figure> figs = p.figures().stream().filter(f -> f.section() == s).toList();
            boolean perClass = s == Section.TEST && p.evaluation() != null;
            if (figs.isEmpty() && !perClass) {
                continue;
            }
            h.append("<section id=\"").append(s.name().toLowerCase(Locale.ROOT)).append("\">\n<h2>")
                    .append(esc(s.heading)).append("</h2>\n");
            // the per-class table goes beside the test set's figures when the page is wide enough
            h.append(perClass ? "<div class=\"pair\">\n" : "");
            for (Figure f : figs) {
                figure(h, f);
            }
            if (perClass) {
                perClass(h, p.evaluation());
                h.append("</div>\n");
            }
            h.append("</section>\n");
        }
        if (p.summary() != null) {
            h.append("<section id=\"model\">\n<h2>Model</h2>\n");
            HtmlTables.summary(h, p.summary());
            h.append("</section>\n");
        }
        if (!p.settings().isEmpty() || !p.timings().isEmpty() || (p.history() != null && !p.history().isEmpty())) {
            h.append("<section id=\"run\">\n<h2>Run</h2>\n<div class=\"pair\">\n");
            if (!p.settings().isEmpty()) {
                HtmlTables.keyValues(h, "Hyper-parameters", p.settings());
            }
            if (!p.timings().isEmpty()) {
                HtmlTables.keyValues(h, "Timings", p.timings());
            }
            h.append("</div>\n");
            if (p.history() != null && !p.history().isEmpty()) {
                HtmlTables.epochs(h, p.history());
            }
            h.append("</section>\n");
        }
        h.append("<footer>Written by Retina. This page is self-contained: it loads nothing from the network.")
                .append("</footer>\n</main>\n");
        if (p.live() != null) {
            live(h, p.live());
        }
        return h.append("</body>\n</html>\n").toString();
    }

    private static void cards(StringBuilder h, Page p) {
        StringBuilder c = new StringBuilder();
        Evaluation ev = p.evaluation();
        if (ev != null) {
            card(c, "test accuracy", pct(ev.accuracy()), Summary.count(ev.samples()) + " images");
            card(c, "test loss", String.format(Locale.ROOT, "%.4f", ev.loss()), "cross-entropy");
        }
        History hist = p.history();
        if (hist != null && !hist.isEmpty()) {
            List<EpochResult> e = hist.epochs();
            EpochResult best = e.getFirst();
            for (EpochResult r : e) {
                if (monitored(r) < monitored(best)) {
                    best = r;
                }
            }
            if (best.hasValidation()) {
                card(c, "val accuracy", pct(best.valAccuracy()), "at the best epoch");
            }
            card(c, "epochs", Integer.toString(e.size()), "best " + best.epoch());
            double secs = e.stream().mapToDouble(EpochResult::seconds).sum();
            double images = e.stream().mapToDouble(r -> r.seconds() * r.imagesPerSecond()).sum();
            card(c, "training time", duration(secs), String.format(Locale.ROOT, "%,.0f images/s", images / secs));
        }
        if (p.summary() != null) {
            card(c, "parameters", Summary.count(p.summary().totalParameters()),
                    Summary.count(p.summary().totalMacs()) + " MACs per image");
        }
        if (!c.isEmpty()) {
            h.append("<div class=\"cards\">\n").append(c).append("</div>\n");
        }
    }

    /** What Checkpoint keeps the best epoch by: the validation loss, else the training loss. */
    private static double monitored(EpochResult r) {
        return r.hasValidation() ? r.valLoss() : r.loss();
    }

    private static void card(StringBuilder h, String label, String value, String note) {
        h.append("<div class=\"card\"><div class=\"label\">").append(esc(label)).append("</div><div class=\"value\">")
                .append(esc(value)).append("</div><div class=\"note\">").append(esc(note)).append("</div></div>\n");
    }

    private static void figure(StringBuilder h, Figure f) {
        BufferedImage img = f.image();
        h.append("<figure id=\"").append(esc(f.id())).append("\">\n<h3>").append(esc(f.heading())).append("</h3>\n")
                .append("<img src=\"").append(Png.dataUri(img))
                // drawn at Draw.SCALE pixels per point: shown at its size in points, sharp on dense screens
                .append("\" width=\"").append(img.getWidth() / Draw.SCALE)
                .append("\" height=\"").append(img.getHeight() / Draw.SCALE).append("\" alt=\"").append(esc(f.heading()))
                .append("\">\n<figcaption>").append(esc(f.caption())).append("</figcaption>\n</figure>\n");
    }

    private static void perClass(StringBuilder h, Evaluation ev) {
        double[] acc = ev.perClassAccuracy();
        int[][] m = ev.confusion();
        int worst = -1;
        for (int c = 0; c < acc.length; c++) {
            if (!Double.isNaN(acc[c]) && (worst < 0 || acc[c] < acc[worst])) {
                worst = c;
            }
        }
        List<String> names = new ArrayList<>();
        boolean named = false;
        for (int c = 0; c < acc.length; c++) {
            names.add(c < ev.classNames().size() ? ev.classNames().get(c) : Integer.toString(c));
            named |= !names.get(c).equals(Integer.toString(c));
        }
        h.append("<div>\n<h3>Per-class accuracy</h3>\n<table class=\"perclass\">\n<thead><tr><th>class</th>")
                .append(named ? "<th>name</th>" : "").append("<th class=\"num\">images</th><th class=\"num\">right</th><th class=\"num\">accuracy</th>")
                .append("<th class=\"barcell\"></th></tr></thead>\n<tbody>\n");
        for (int c = 0; c < acc.length; c++) {
            int total = 0;
            for (int v : m[c]) {
                total += v;
            }
            double width = Double.isNaN(acc[c]) ? 0 : 100 * acc[c];
            h.append(c == worst ? "<tr class=\"worst\">" : "<tr>").append("<td>").append(c).append("</td>")
                    .append(named ? "<td>" + esc(names.get(c)) + "</td>" : "").append("<td class=\"num\">")
                    .append(Summary.count(total))
                    .append("</td><td class=\"num\">").append(Summary.count(m[c][c])).append("</td><td class=\"num\">")
                    .append(Double.isNaN(acc[c]) ? "–" : pct(acc[c])).append("</td><td class=\"barcell\">")
                    .append("<div class=\"bar\" style=\"width:").append(String.format(Locale.ROOT, "%.1f", width))
                    .append("%\"></div></td></tr>\n");
        }
        h.append("</tbody>\n</table>\n<p class=\"hint\">The lowest accuracy is marked in red.</p>\n</div>\n");
    }

    private static void live(StringBuilder h, Live live) {
        h.append("<script>\n(function () {\n  const shown = \"").append(live.version()).append("\";\n")
                .append("  async function poll() {\n    try {\n")
                .append("      const r = await fetch(\"").append(esc(live.versionPath()))
                .append("\", {cache: \"no-store\"});\n")
                .append("      if (r.ok && (await r.text()).trim() !== shown) {\n        location.reload();\n")
                .append("        return;\n      }\n    } catch (e) {\n")
                .append("      // the run has ended and its server is gone: keep showing the last page\n")
                .append("      return;\n    }\n    setTimeout(poll, ").append(live.pollMillis()).append(");\n  }\n")
                .append("  setTimeout(poll, ").append(live.pollMillis()).append(");\n})();\n</script>\n");
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    /** Seconds as {@code 42.0 s}, {@code 3 min 05 s} or {@code 1 h 02 min}. */
    static String duration(double s) {
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long t = Math.round(s);
        return t < 3600 ? String.format(Locale.ROOT, "%d min %02d s", t / 60, t % 60)
                : String.format(Locale.ROOT, "%d h %02d min", t / 3600, t / 60 % 60);
    }

    /** {@code s} with the characters HTML gives meaning to escaped. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
