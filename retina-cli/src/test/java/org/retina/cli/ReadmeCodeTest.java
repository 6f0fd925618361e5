package org.retina.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java} code block of the README compiles against the library as it is, so the README cannot rot.
 * A block is the body of a method; the names it uses without declaring them are given by an HTML comment right
 * above it, {@code <!-- given: Model model, Loss loss -->}, which becomes the method's parameters.
 */
class ReadmeCodeTest {
    private static final Pattern BLOCK = Pattern.compile(
            "(?:<!-- given: ([^>]*?) -->\\s*\\n)?```java\\n(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = """
            import java.nio.file.*;
            import java.util.*;
            import org.retina.data.*;
            import org.retina.data.format.*;
            import org.retina.io.*;
            import org.retina.kernel.Engine;
            import org.retina.loss.*;
            import org.retina.model.*;
            import org.retina.nn.*;
            import org.retina.onnx.*;
            import org.retina.optim.*;
            import org.retina.parallel.*;
            import org.retina.spark.*;
            import org.apache.spark.sql.Row;
            import org.apache.spark.sql.SparkSession;
            import org.retina.tensor.*;
            import org.retina.train.*;
            import org.retina.viz.*;
            import org.retina.zoo.*;
            """;

    /** A source held in memory. */
    static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className + ".java"), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }

    static List<Source> blocks(String readme) {
        List<Source> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            int line = readme.substring(0, m.start(2)).split("\n", -1).length;
            String name = "ReadmeLine" + line;
            String given = m.group(1) == null ? "" : m.group(1).strip();
            out.add(new Source(name, IMPORTS + "\nclass " + name + " {\n    void block(" + given
                    + ") throws Exception {\n" + m.group(2) + "\n    }\n}\n"));
        }
        return out;
    }

    @Test
    void everyJavaBlockOfTheReadmeCompiles(@TempDir Path out) throws IOException {
        Path readme = Path.of("").toAbsolutePath().getParent().resolve("README.md");
        List<Source> sources = blocks(Files.readString(readme));
        assertTrue(sources.size() >= 4, "the README shows the API in java blocks; found " + sources.size());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            List<String> options = List.of("--add-modules", "jdk.incubator.vector", "-proc:none", "-d",
                    out.toString(), "-cp", classPath());
            boolean ok = javac.getTask(null, files, diagnostics, options, null, sources).call();
            StringBuilder errors = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.append("\n").append(d.getSource() == null ? "" : d.getSource().getName()).append(": ")
                            .append(d.getMessage(null)).append("\n    ").append(lineOf(d));
                }
            }
            assertTrue(ok && errors.isEmpty(), "README code blocks that do not compile (the class name is the"
                    + " README line of the block):" + errors);
        }
    }

    /** The test class path: Surefire's own property (its launcher jar hides it from java.class.path). */
    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private static String lineOf(Diagnostic<? extends JavaFileObject> d) {
        try {
            String[] lines = d.getSource().getCharContent(true).toString().split("\n");
            long n = d.getLineNumber();
            return n >= 1 && n <= lines.length ? lines[(int) n - 1].strip() : "";
        } catch (IOException e) {
            return "";
        }
    }
}
