package org.retina.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.io.Json;

class MetricsLogTest {
    @TempDir
    Path dir;

    @Test
    void readGivesBackTheHistoryWritten() throws IOException {
        History h = new History();
        h.add(new EpochResult(1, 0.5, 0.8, 0.6, 0.75, 1e-3, 12.5, 400));
        h.add(new EpochResult(2, 0.25, 0.9, Double.NaN, Double.NaN, 5e-4, 11, 450));
        StringBuilder jsonl = new StringBuilder();
        h.toMaps().forEach(m -> jsonl.append(Json.write(m)).append('\n'));
        Files.writeString(dir.resolve("metrics.jsonl"), jsonl + "\n");
        History back = MetricsLog.read(dir);
        assertEquals(h.epochs(), back.epochs());
    }

    @Test
    void aBrokenLineIsNamed() throws IOException {
        Files.writeString(dir.resolve("metrics.jsonl"), "{\"epoch\": 1, \"loss\": 0.5}\n{\"epoch\": 2, \"lo\n");
        IOException e = assertThrows(IOException.class, () -> MetricsLog.read(dir));
        assertTrue(e.getMessage().contains("metrics.jsonl: line 2 is not a JSON object"), e.getMessage());
        Files.writeString(dir.resolve("metrics.jsonl"), "{\"loss\": 0.5}\n");
        e = assertThrows(IOException.class, () -> MetricsLog.read(dir));
        assertTrue(e.getMessage().contains("not a metrics log"), e.getMessage());
    }
}
