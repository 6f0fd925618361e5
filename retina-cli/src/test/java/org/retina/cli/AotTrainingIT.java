package org.retina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The run the launcher records its start-up cache from: it must train, evaluate and predict from nothing but the
 * jars (no dataset store, no network), and leave no files behind. A failure here would leave every user without
 * the cache (the launcher goes on without it, saying so).
 */
class AotTrainingIT {

    @Test
    void trainsEvaluatesAndPredictsFromNothingAndCleansUp() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = aotFolders(tmp);
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = AotTraining.run();
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("Epoch 1/1"), text);
        assertTrue(text.contains("image.png:"), "the prediction's line: " + text);
        assertEquals(before, aotFolders(tmp), "the temporary folder is deleted");
    }

    private static List<Path> aotFolders(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("retina-aot")).sorted().toList();
        }
    }
}
