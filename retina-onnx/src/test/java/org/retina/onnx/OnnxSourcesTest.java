package org.retina.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module's sources keep the house rules of the core's architecture test: files of about 400 lines at most,
 * a javadoc line on every public type, and imports from the JDK, Retina and protobuf only.
 */
class OnnxSourcesTest {
    private static final Path MAIN = Path.of("src", "main", "java");

    @Test
    void smallDocumentedAndDependingOnCoreAndProtobufOnly() throws IOException {
        List<String> bad = new ArrayList<>();
        Pattern imports = Pattern.compile("^import (static )?([\\w.]+);", Pattern.MULTILINE);
        Pattern type = Pattern.compile("^public (final |sealed |abstract )*(class|interface|record|enum) (\\w+)",
                Pattern.MULTILINE);
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                if (text.lines().count() > 420) {
                    bad.add(f + ": " + text.lines().count() + " lines (split it: about 400 at most)");
                }
                Matcher m = imports.matcher(text);
                while (m.find()) {
                    String i = m.group(2);
                    if (!i.startsWith("java.") && !i.startsWith("org.retina.") && !i.startsWith("com.google.protobuf.")) {
                        bad.add(f + " imports " + i);
                    }
                }
                Matcher t = type.matcher(text);
                if (t.find() && !text.substring(0, t.start()).stripTrailing().endsWith("*/")) {
                    bad.add(f + ": public type " + t.group(3) + " has no javadoc");
                }
            }
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }
}
