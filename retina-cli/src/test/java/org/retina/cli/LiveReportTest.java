package org.retina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retina.data.ByteDataset;
import org.retina.data.Dataset;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.optim.Adam;
import org.retina.tensor.Shape;
import org.retina.train.EpochResult;
import org.retina.train.Trainer;

/** The live report server: what it serves before, during and after training, and its errors. */
class LiveReportTest {
    private final HttpClient http = HttpClient.newHttpClient();

    static Trainer trainer() {
        Model m = Sequential.builder().add("conv1", Conv2d.of(2, 3)).add("flatten", Flatten.of())
                .add("fc", Dense.of(2)).build().build(Shape.of(1, 6, 6));
        return new Trainer(m, new SoftmaxCrossEntropy(), Adam.Config.of(1e-3).create(m.namedParameters()));
    }

    static Dataset data() {
        byte[] px = new byte[4 * 36];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        return new ByteDataset("tiny", Shape.of(1, 6, 6), px, new int[] {0, 1, 0, 1}, List.of("a", "b"));
    }

    private HttpResponse<String> get(LiveReport live, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + live.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheLivePageItsVersionAndThenTheFinalPage() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LiveReport live = LiveReport.start(0, "tiny run", Map.of("batch_size", 2), data(),
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("Live report at http://localhost:" + live.port()
                    + "/"), out.toString(StandardCharsets.UTF_8));
            Trainer t = trainer();
            live.onTrainBegin(t, 3);
            HttpResponse<String> page = get(live, "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(page.body().contains("Live: waiting for the first epoch to end"), page.body());
            assertTrue(page.body().contains("const shown = \"1\";"), "the page knows its version");
            assertEquals("1", get(live, "/version").body());
            live.onEpochEnd(t, new EpochResult(1, 0.7, 0.5, 0.69, 0.5, 1e-3, 0.1, 40));
            assertEquals("2", get(live, "/version").body());
            assertTrue(get(live, "/report.html").body().contains("epoch 1 of 3 done"));
            live.finish("<!DOCTYPE html><title>final</title>");
            assertEquals("3", get(live, "/version").body());
            assertEquals("<!DOCTYPE html><title>final</title>", get(live, "/").body());
            assertEquals(404, get(live, "/elsewhere").statusCode());
            assertEquals(405, http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + live.port() + "/"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode());
        }
    }

    @Test
    void aBusyPortOrABadOneIsAUserError() throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (LiveReport first = LiveReport.start(0, "a", Map.of(), data(), quiet)) {
            Errors.UserError e = assertThrows(Errors.UserError.class,
                    () -> LiveReport.start(first.port(), "b", Map.of(), data(), quiet));
            assertEquals("--serve " + first.port() + ": the port is in use (choose another, or 0 for any free port)",
                    e.getMessage());
        }
        assertThrows(Errors.UserError.class, () -> LiveReport.start(70000, "c", Map.of(), data(), quiet));
    }
}
