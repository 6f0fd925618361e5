package org.retina.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.retina.data.Dataset;
import org.retina.train.Callback;
import org.retina.train.EpochResult;
import org.retina.train.History;
import org.retina.train.StepResult;
import org.retina.train.Trainer;
import org.retina.viz.HtmlReport;
import org.retina.viz.RunReport;

/**
 * {@code retina train --serve PORT}: serves the report page on localhost while training and redraws it after every
 * epoch; the page asks {@code /version} every two seconds and reloads when a new epoch is in.
 */
final class LiveReport implements Callback, AutoCloseable {
    static final int POLL_MILLIS = 2000;
    /** Test images searched for mistakes on each redraw, to keep the pause between epochs short. */
    private static final int SCAN = 1000;

    /** What is served: the page and its version. */
    private record Shown(String html, long version) {
    }

    private final HttpServer server;
    private final String title;
    private final Map<String, Object> settings;
    private final Dataset test;
    private volatile Shown shown = new Shown("<!DOCTYPE html><title>retina</title><p>Starting ...</p>", 0);
    private volatile long fetched = -1;
    private int epochs;
    private final List<StepResult> steps = new ArrayList<>();
    private Trainer trainer;
    private long lastDraw;
    /** How often the page is redrawn within an epoch, so that a long first epoch already shows its curves. */
    static final long REDRAW_NANOS = 20_000_000_000L;

    private LiveReport(HttpServer server, String title, Map<String, Object> settings, Dataset test) {
        this.server = server;
        this.title = title;
        this.settings = settings;
        this.test = test;
    }

    /** Starts serving on {@code localhost:port} ({@code 0}: any free port) and prints the address. */
    static LiveReport start(int port, String title, Map<String, Object> settings, Dataset test, PrintStream out)
            throws IOException {
        if (port < 0 || port > 65535) {
            throw new Errors.UserError("--serve " + port + ": expected a port from 1 to 65535 (0: any free port)");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (BindException e) {
            throw new Errors.UserError("--serve " + port + ": the port is in use (choose another, or 0 for any free"
                    + " port)");
        }
        LiveReport live = new LiveReport(server, title, settings, test);
        server.createContext("/", live::handle);
        server.start();
        out.println("Live report at http://localhost:" + live.port() + "/ (redrawn after every epoch)");
        return live;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Shown s = shown;
            String body;
            String type;
            int status = 200;
            if (!ex.getRequestMethod().equals("GET")) {
                status = 405;
                body = "only GET";
                type = "text/plain";
            } else if (path.equals("/") || path.equals("/" + RunReport.PAGE)) {
                body = s.html();
                type = "text/html";
                fetched = s.version();
            } else if (path.equals("/version")) {
                body = Long.toString(s.version());
                type = "text/plain";
            } else {
                status = 404;
                body = "not found: " + path;
                type = "text/plain";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(bytes);
            }
        }
    }

    @Override
    public void onTrainBegin(Trainer trainer, int epochs) {
        this.epochs = epochs;
        this.trainer = trainer;
        lastDraw = System.nanoTime();
        redraw(trainer, trainer.history(), trainer.completedEpochs() == 0 ? "waiting for the first epoch to end"
                : "resumed after epoch " + trainer.completedEpochs());
    }

    @Override
    public void onStepEnd(StepResult step) {
        steps.add(step);
        if (System.nanoTime() - lastDraw > REDRAW_NANOS) {
            redraw(trainer, trainer.history(), String.format(Locale.ROOT, "epoch %d of %d, step %d of %d",
                    step.epoch(), epochs, step.batch(), step.batches()));
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult result) {
        redraw(trainer, trainer.history(), String.format(Locale.ROOT, "epoch %d of %d done", result.epoch(), epochs));
    }

    private void redraw(Trainer trainer, History history, String status) {
        lastDraw = System.nanoTime();
        RunReport.Run run = new RunReport.Run(title, trainer.model(), history, null, test, settings, Map.of(), SCAN,
                steps);
        long v = shown.version() + 1;
        shown = new Shown(RunReport.html(run, RunReport.figures(run),
                new HtmlReport.Live(v, status + "; this page reloads by itself", "version", POLL_MILLIS)), v);
    }

    /** Serves the final page (not live) from now on. */
    void finish(String html) {
        shown = new Shown(html, shown.version() + 1);
    }

    /**
     * Keeps serving the final page after training, as a notebook's output stays: says so and waits until the user
     * stops the command (Ctrl-C ends the process) or the calling thread is interrupted.
     */
    void serveUntilStopped(PrintStream out) {
        out.println("Training is over; the final report stays at http://localhost:" + port() + "/ until you stop"
                + " this command (Ctrl-C).");
        out.flush();
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops serving; when a browser has been watching, first gives it a few polls' time to load the final page.
     */
    @Override
    public void close() {
        if (fetched >= 0) {
            long deadline = System.nanoTime() + 3L * POLL_MILLIS * 1_000_000;
            while (fetched != shown.version() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        server.stop(0);
    }
}
