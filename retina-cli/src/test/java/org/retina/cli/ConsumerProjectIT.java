package org.retina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.testing.TestData;

/**
 * Retina as a dependency of someone else's project: the artifacts this build made are installed into a temporary
 * local Maven repository, and a separate project ({@code src/test/resources/consumer}: its own pom, one dependency
 * on retina-core and one on retina-onnx, the JVM flag in exec) is built and run by Maven against it, the rest of
 * its dependencies coming from the package registry. It trains the README's network on a few hundred real images.
 */
class ConsumerProjectIT {
    static final String VERSION = DistributionIT.VERSION;
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** Puts {@code file} where a Maven repository keeps {@code org.retina:artifact:VERSION} of that extension. */
    static void install(Path repo, String artifact, Path file, String extension) throws IOException {
        Path dir = repo.resolve("org/retina").resolve(artifact).resolve(VERSION);
        Files.createDirectories(dir);
        assertTrue(Files.isRegularFile(file), file + " is built before the integration tests");
        Files.copy(file, dir.resolve(artifact + "-" + VERSION + "." + extension));
    }

    static void copyConsumer(Path to) throws IOException {
        for (String f : List.of("pom.xml", "src/main/java/example/Example.java")) {
            try (InputStream in = ConsumerProjectIT.class.getResourceAsStream("/consumer/" + f)) {
                assertTrue(in != null, "test resource consumer/" + f);
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@RETINA_VERSION@",
                        VERSION);
                Files.createDirectories(to.resolve(f).getParent());
                Files.writeString(to.resolve(f), text);
            }
        }
    }

    static Path mvn() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, "mvn");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError("this test builds a project with Maven: no 'mvn' on PATH; install Maven 3.8+");
    }

    @Test
    void aSeparateMavenProjectDependsOnRetinaAndTrains(@TempDir Path tmp) throws Exception {
        TestData.dataset("fashion-mnist"); // the example reads the user's dataset store
        Path repo = tmp.resolve("repo");
        install(repo, "retina", ROOT.resolve("pom.xml"), "pom");
        install(repo, "retina-bom", ROOT.resolve("retina-bom/pom.xml"), "pom");
        for (String m : List.of("retina-core", "retina-onnx")) {
            install(repo, m, ROOT.resolve(m).resolve("pom.xml"), "pom");
            install(repo, m, ROOT.resolve(m).resolve("target").resolve(m + "-" + VERSION + ".jar"), "jar");
        }
        Path project = tmp.resolve("consumer");
        copyConsumer(project);

        String javaHome = System.getProperty("java.home");
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", javaHome);
        env.put("PATH", javaHome + "/bin" + java.io.File.pathSeparator + System.getenv("PATH"));
        env.put("MAVEN_OPTS", "--sun-misc-unsafe-memory-access=allow");
        DistributionIT.Out built = DistributionIT.run(project, env, mvn().toString(), "-B", "-ntp",
                "-Dmaven.repo.local=" + repo, "package", "exec:exec");
        assertEquals(0, built.code(), built.text());
        String out = built.text();
        assertTrue(out.contains("Total params"), "the summary is printed: " + out);
        Matcher m = Pattern.compile("test accuracy: ([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        double acc = Double.parseDouble(m.group(1));
        // 600 Fashion-MNIST images, 3 epochs: chance is 10%, a network that learns is well above 60%
        assertTrue(acc > 0.6, "test accuracy " + acc);
        Matcher again = Pattern.compile("onnx round trip accuracy: ([0-9.]+)").matcher(out);
        assertTrue(again.find(), out);
        assertEquals(m.group(1), again.group(1), "the model exported to ONNX and read back predicts the same");

        // the same program without the Vector API flag: one clear sentence naming it, never NoClassDefFoundError
        String cp = project.resolve("target/classes") + java.io.File.pathSeparator + jars(repo);
        DistributionIT.Out bare = DistributionIT.run(project, env, javaHome + "/bin/java", "-cp", cp,
                "example.Example");
        assertNotEquals(0, bare.code(), bare.text());
        assertTrue(bare.text().contains("--add-modules jdk.incubator.vector"), bare.text());
        assertFalse(bare.text().contains("NoClassDefFoundError"), bare.text());
    }

    /** Every jar the consumer's build resolved into the temporary repository, as a class path. */
    static String jars(Path repo) throws IOException {
        try (Stream<Path> s = Files.walk(repo)) {
            return String.join(java.io.File.pathSeparator, s.map(Path::toString)
                    .filter(p -> p.endsWith(".jar") && (p.contains("/org/retina/") || p.contains("protobuf-java")))
                    .toList());
        }
    }
}
