package org.retina.arch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps DESIGN.md's arrows honest by scanning import lines, keeps the core free of dependencies beyond the JDK,
 * flags oversized source files, and checks every public type has a javadoc line.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src", "main", "java", "org", "retina");
    private static final Pattern IMPORT = Pattern.compile("^import (static )?([\\w.]+)\\.[\\w*]+;", Pattern.MULTILINE);

    /** Package -> the packages of the core it may import (besides itself and its sub-packages): DESIGN.md's arrows. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("tensor", Set.of()),
            Map.entry("kernel", Set.of()),
            Map.entry("nn", Set.of("tensor", "kernel")),
            Map.entry("model", Set.of("nn", "tensor")),
            Map.entry("loss", Set.of("tensor", "kernel")),
            Map.entry("optim", Set.of("tensor", "kernel")),
            Map.entry("data", Set.of("tensor")),
            Map.entry("io", Set.of("model", "nn", "tensor", "data")),
            Map.entry("device", Set.of("model", "loss", "optim", "tensor")),
            Map.entry("train", Set.of("model", "nn", "loss", "optim", "data", "io", "tensor", "device")),
            Map.entry("parallel", Set.of("train", "model", "nn", "loss", "optim", "data", "io", "tensor")),
            Map.entry("zoo", Set.of("model", "nn", "tensor")),
            Map.entry("viz", Set.of("model", "nn", "train", "data", "io", "tensor")));

    /**
     * The kernel package's public types, which any package and module may use: the execution context, the geometry
     * a convolution reports, the padding modes a layer is configured with, the check of the JVM's Vector API.
     */
    private static final Set<String> PUBLIC_KERNEL = Set.of("org.retina.kernel.Engine",
            "org.retina.kernel.ConvGeometry", "org.retina.kernel.LayoutKernels.PadMode",
            "org.retina.kernel.VectorSupport");

    /**
     * Imports that break the arrows today, each named with its file and why it is still there: a debt, allowed here
     * so that no other file can add one. An entry the code no longer needs fails the test, so the list only shrinks.
     */
    private static final Map<String, Set<String>> DEBTS = Map.of();

    /** Module -> the other modules' packages it may import (each module may import all of core but kernel). */
    private static final Map<String, Set<String>> MODULES = Map.of(
            "retina-onnx", Set.of(),
            "retina-cuda", Set.of(),
            "retina-spark", Set.of(),
            "retina-cli", Set.of("onnx", "spark"));

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static String packageOf(Path file) {
        return MAIN.relativize(file).getName(0).toString();
    }

    @Test
    void importsFollowTheArrows() throws IOException {
        List<String> bad = new ArrayList<>();
        Set<String> usedDebts = new java.util.HashSet<>();
        for (Path f : sources()) {
            String pkg = packageOf(f);
            String rel = MAIN.relativize(f).toString().replace('\\', '/');
            Set<String> allowed = ALLOWED.get(pkg);
            if (allowed == null) {
                bad.add(f + ": package '" + pkg + "' has no entry in the arrow table");
                continue;
            }
            Matcher m = IMPORT.matcher(Files.readString(f));
            while (m.find()) {
                String imported = m.group(2);
                String type = m.group(0).replaceFirst("^import (static )?", "").replace(";", "");
                if (imported.startsWith("org.retina.")) {
                    String target = imported.substring("org.retina.".length()).split("\\.")[0];
                    if (target.equals(pkg) || allowed.contains(target) || PUBLIC_KERNEL.contains(type)) {
                        continue;
                    }
                    if (DEBTS.getOrDefault(rel, Set.of()).contains(type)) {
                        usedDebts.add(rel + " " + type);
                        continue;
                    }
                    bad.add(f + " imports " + type + " (" + pkg + " may not depend on " + target + ")");
                } else if (!imported.startsWith("java.") && !imported.startsWith("javax.")
                        && !imported.startsWith("jdk.incubator.vector")) {
                    bad.add(f + " imports " + imported + ": the core depends on the JDK only");
                }
            }
        }
        DEBTS.forEach((file, types) -> types.forEach(t -> {
            if (!usedDebts.contains(file + " " + t)) {
                bad.add("the debt " + file + " -> " + t + " is paid: delete it from DEBTS");
            }
        }));
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }

    @Test
    void modulesUseTheCoreThroughItsApi() throws IOException {
        List<String> bad = new ArrayList<>();
        Path root = Path.of("..").toAbsolutePath().normalize();
        for (Map.Entry<String, Set<String>> e : MODULES.entrySet()) {
            String own = e.getKey().substring("retina-".length());
            Path main = root.resolve(e.getKey()).resolve("src").resolve("main").resolve("java");
            List<Path> files;
            try (Stream<Path> s = Files.walk(main)) {
                files = s.filter(p -> p.toString().endsWith(".java")).toList();
            }
            assertTrue(!files.isEmpty(), e.getKey() + " has sources");
            for (Path f : files) {
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String type = m.group(0).replaceFirst("^import (static )?", "").replace(";", "");
                    if (!type.startsWith("org.retina.")) {
                        continue;
                    }
                    String target = type.substring("org.retina.".length()).split("\\.")[0];
                    boolean core = ALLOWED.containsKey(target) && !target.equals("kernel");
                    if (!(core || target.equals(own) || e.getValue().contains(target) || PUBLIC_KERNEL.contains(type))) {
                        bad.add(f + " imports " + type + " (" + e.getKey() + " may use core's API and "
                                + e.getValue() + ")");
                    }
                }
            }
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }

    /** Every main source file of every module. */
    private static List<Path> allModuleSources() throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> modules = Files.list(Path.of("..").toAbsolutePath().normalize())) {
            for (Path m : modules.filter(d -> d.getFileName().toString().startsWith("retina-")).sorted().toList()) {
                Path main = m.resolve("src").resolve("main").resolve("java");
                if (Files.isDirectory(main)) {
                    try (Stream<Path> s = Files.walk(main)) {
                        all.addAll(s.filter(p -> p.toString().endsWith(".java")).toList());
                    }
                }
            }
        }
        return all;
    }

    @Test
    void sourceFilesStaySmall() throws IOException {
        List<String> big = new ArrayList<>();
        List<Path> files = allModuleSources();
        Set<String> modules = new java.util.TreeSet<>();
        for (Path f : files) {
            for (Path part : f) {
                if (part.toString().startsWith("retina-")) {
                    modules.add(part.toString());
                }
            }
        }
        assertTrue(modules.containsAll(Set.of("retina-core", "retina-onnx", "retina-cuda", "retina-cli",
                "retina-bench", "retina-spark")), "every module's sources are scanned: " + modules);
        for (Path f : files) {
            long lines = Files.readAllLines(f).size();
            if (lines > 420) {
                big.add(f + ": " + lines + " lines (split it: about 400 at most)");
            }
        }
        assertTrue(big.isEmpty(), String.join("\n", big));
    }

    @Test
    void everyPublicTypeHasAJavadocLine() throws IOException {
        Pattern type = Pattern.compile("^public (abstract |final |sealed |non-sealed )*(class|interface|record|enum) (\\w+)",
                Pattern.MULTILINE);
        List<String> missing = new ArrayList<>();
        for (Path f : sources()) {
            String text = Files.readString(f);
            Matcher m = type.matcher(text);
            if (m.find()) {
                String before = text.substring(0, m.start()).stripTrailing();
                // annotations may sit between the javadoc and the declaration
                while (before.endsWith(")") || before.matches("(?s).*\\n@\\w+$")) {
                    int at = before.lastIndexOf("\n@");
                    if (at < 0) {
                        break;
                    }
                    before = before.substring(0, at).stripTrailing();
                }
                if (!before.endsWith("*/")) {
                    missing.add(f + ": public type " + m.group(3) + " has no javadoc");
                }
            }
        }
        assertTrue(missing.isEmpty(), String.join("\n", missing));
    }
}
