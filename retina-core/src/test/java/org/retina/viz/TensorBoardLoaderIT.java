package org.retina.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorBoard's own loader ({@code EventAccumulator} of the Python package) reads Retina's event files. It runs
 * where a Python with the {@code tensorboard} package is installed, and otherwise is reported as not run, with
 * the reason (the format is then checked by {@link EventFile} alone, in {@code TensorBoardTest}).
 */
class TensorBoardLoaderIT {
    @TempDir
    Path dir;

    private static String python() throws InterruptedException {
        for (String p : new String[] {"/usr/bin/python3", "python3"}) {
            try {
                Process proc = new ProcessBuilder(p, "-c", "import tensorboard").redirectErrorStream(true).start();
                proc.getInputStream().readAllBytes();
                if (proc.waitFor(60, TimeUnit.SECONDS) && proc.exitValue() == 0) {
                    return p;
                }
            } catch (IOException e) {
                // no such interpreter: try the next
            }
        }
        return null;
    }

    @Test
    void tensorBoardsOwnLoaderReadsTheEvents() throws Exception {
        String python = python();
        Assumptions.assumeTrue(python != null, "not run: no Python with the tensorboard package here (Debian has no"
                + " package for it; 'pip install tensorboard' makes this test run)");
        Path file;
        try (TensorBoard tb = new TensorBoard(dir, null)) {
            for (int s = 1; s <= 5; s++) {
                tb.scalar("train/loss", s, 1.0 / s);
            }
            tb.image("filters", 5, Draw.figure(40, 30).image());
            file = tb.file();
        }
        String script = """
                import sys
                from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
                ea = EventAccumulator(sys.argv[1], size_guidance={'scalars': 0, 'images': 0})
                ea.Reload()
                print(len(ea.Scalars('train/loss')), ea.Scalars('train/loss')[-1].value, len(ea.Images('filters')))
                """;
        Process p = new ProcessBuilder(python, "-c", script, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String[] f = out.lines().reduce((a, b) -> b).orElse("").split(" ");
        assertEquals("5", f[0], out);
        assertEquals(0.2, Double.parseDouble(f[1]), 1e-6, out);
        assertEquals("1", f[2], out);
    }
}
