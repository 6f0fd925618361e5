package org.retina.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.tensor.Shape;
import org.retina.train.Evaluation;
import org.retina.viz.HtmlReport.Figure;
import org.retina.viz.HtmlReport.Section;

class HtmlReportTest {
    private static final Pattern IMG = Pattern.compile(
            "<img src=\"([^\"]*)\" width=\"(\\d+)\" height=\"(\\d+)\"");

    private static HtmlReport.Page page(HtmlReport.Live live) {
        Model m = Sequential.builder().add("conv1", Conv2d.of(2, 3)).add("flatten", Flatten.of())
                .add("fc", Dense.of(3)).build().build(Shape.of(1, 5, 5));
        Evaluation ev = new Evaluation(0.3, 0.8, new int[][] {{8, 2, 0}, {0, 9, 1}, {1, 2, 7}},
                List.of("<cat>", "dog & co", "bird"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("command", "retina train --epochs 3");
        settings.put("batch_size", 64);
        settings.put("learning_rate", 0.001);
        settings.put("augment", false);
        List<Figure> figures = List.of(
                new Figure(Section.TEST, "cm", "Confusion", "how to read it", ConfusionMatrix.of(ev)),
                new Figure(Section.TRAINING, "curves", "Curves", "per epoch",
                        Charts.trainingCurves(ChartsTest.history(3, true))));
        return new HtmlReport.Page("A <run>", m.summary(), ChartsTest.history(3, true), ev, figures, settings,
                Map.of("wall_seconds", 12.5), live);
    }

    @Test
    void thePageIsSelfContainedAndEveryImageDecodes() throws IOException {
        String html = HtmlReport.html(page(null));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\""),
                "a Content-Security-Policy that forbids loading anything");
        assertFalse(html.contains("<script"), "a finished run's page has no script");
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("url("),
                "no network address anywhere");
        Matcher m = IMG.matcher(html);
        int images = 0;
        while (m.find()) {
            images++;
            assertTrue(m.group(1).startsWith("data:image/png;base64,"), "embedded PNG");
            byte[] png = Base64.getDecoder().decode(m.group(1).substring("data:image/png;base64,".length()));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertNotNull(img);
            // shown at its size in points, drawn at twice the pixels for dense screens
            assertEquals(Draw.SCALE * Integer.parseInt(m.group(2)), img.getWidth());
            assertEquals(Draw.SCALE * Integer.parseInt(m.group(3)), img.getHeight());
            Pictures.assertNotBlank(img, "image " + images);
        }
        assertEquals(2, images);
        assertEquals(2, html.split("<img ", -1).length - 1, "every image is embedded");
    }

    @Test
    void sectionsComeInOrderWithTheirTables() {
        String html = HtmlReport.html(page(null));
        List<Integer> at = new ArrayList<>();
        for (String id : List.of("training", "test", "model", "run")) {
            at.add(html.indexOf("<section id=\"" + id + "\">"));
        }
        assertTrue(at.getFirst() > 0 && at.equals(at.stream().sorted().toList()), "order " + at);
        assertTrue(html.indexOf("id=\"curves\"") < html.indexOf("id=\"cm\""), "figures go to their sections");
        assertTrue(html.contains("<title>A &lt;run&gt;</title>") && html.contains("&lt;cat&gt;")
                && html.contains("dog &amp; co") && !html.contains("<cat>"), "names are escaped");
        assertTrue(html.contains("<tr class=\"worst\"><td>2</td><td>bird</td>"), "bird, 70%, is the worst class");
        assertTrue(html.contains("<th>batch size</th><td>64</td>"));
        assertTrue(html.contains("<th>learning rate</th><td>0.001</td>"));
        assertTrue(html.contains("<th>wall seconds</th><td>12.5</td>"));
        assertTrue(html.contains("<td>conv1</td><td>Conv2d</td><td>(N, 2, 3, 3)</td>"), "the summary table");
        assertTrue(html.contains(">80.00%<") && html.contains(">0.3000<"), "test accuracy and loss cards");
        assertEquals(3, html.split("<tr><td class=\"num\">", -1).length - 1, "one row per epoch");
    }

    @Test
    void aLivePagePollsItsServerAndAllowsOnlyThat() {
        String html = HtmlReport.html(page(new HtmlReport.Live(7, "epoch 2 of 5 done", "version", 2000)));
        assertTrue(html.contains("script-src 'unsafe-inline'; connect-src 'self'"), "may fetch from its own origin");
        assertTrue(html.contains("const shown = \"7\";") && html.contains("fetch(\"version\""));
        assertTrue(html.contains("setTimeout(poll, 2000)"));
        assertTrue(html.contains("Live: epoch 2 of 5 done"));
    }

    @Test
    void valuesAndDurationsReadWell() {
        assertEquals("64", HtmlTables.value(64.0));
        assertEquals("10,000", HtmlTables.value(10000L));
        assertEquals("0.001", HtmlTables.value(0.001));
        assertEquals("1e-05", HtmlTables.value(1e-5));
        assertEquals("0.123457", HtmlTables.value(0.1234567));
        assertEquals("a, 2", HtmlTables.value(List.of("a", 2.0)));
        assertEquals("–", HtmlTables.value(null));
        assertEquals("42.0 s", HtmlReport.duration(42));
        assertEquals("3 min 05 s", HtmlReport.duration(185));
        assertEquals("1 h 02 min", HtmlReport.duration(3725));
    }
}
