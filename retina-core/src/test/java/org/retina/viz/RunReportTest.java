package org.retina.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.data.Dataset;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.ReLU;
import org.retina.tensor.Shape;
import org.retina.train.Evaluation;
import org.retina.train.History;

class RunReportTest {
    @TempDir
    Path dir;

    private static Model model() {
        return Sequential.builder().add("conv1", Conv2d.of(4, 3).withPadding(1)).add("relu1", ReLU.of())
                .add("conv2", Conv2d.of(4, 3).withPadding(1)).add("flatten", Flatten.of()).add("fc", Dense.of(2))
                .build().build(Shape.of(1, 8, 8), 5);
    }

    @Test
    void writesEveryPictureAndThePageThatEmbedsThem() throws IOException {
        Dataset test = Pictures.twoClasses(40);
        Evaluation ev = new Evaluation(0.69, 0.5, new int[][] {{20, 0}, {20, 0}}, test.classNames());
        RunReport.Run run = new RunReport.Run("tiny", model(), ChartsTest.history(2, true), ev, test,
                Map.of("batch_size", 8), Map.of("wall_seconds", 1.5), test.size());
        List<Path> files = RunReport.write(dir, run);
        List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("training-curves.png", "confusion-matrix.png", "predictions.png",
                "filters.png", "feature-maps-conv1.png", "feature-maps-conv2.png", "report.html")), names.toString());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(names.stream().sorted().toList(), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "exactly the files reported, no temporary ones");
        }
        int pngs = 0;
        for (Path p : files) {
            if (p.toString().endsWith(".png")) {
                Pictures.roundTrip(javax.imageio.ImageIO.read(p.toFile()), dir.resolve("copies"),
                        p.getFileName().toString());
                pngs++;
            }
        }
        String html = Files.readString(dir.resolve(RunReport.PAGE));
        assertEquals(pngs, html.split("src=\"data:image/png;base64,", -1).length - 1, "each picture embedded once");
    }

    @Test
    void withoutTestDataOnlyCurvesAndFiltersAreDrawn() throws IOException {
        RunReport.Run run = new RunReport.Run("early", model(), new History(), null, null, Map.of(), Map.of(), 0);
        assertEquals(List.of("filters"), RunReport.figures(run).stream().map(HtmlReport.Figure::id).toList());
        RunReport.Run later = new RunReport.Run("later", model(), ChartsTest.history(1, false), null, null, Map.of(),
                Map.of(), 0);
        assertEquals(List.of("training-curves", "filters"),
                RunReport.figures(later).stream().map(HtmlReport.Figure::id).toList());
    }
}
