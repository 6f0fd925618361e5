package org.retina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.io.Json;
import org.retina.testing.TestData;

/**
 * The distribution archives as a user gets them: unpacked outside the source tree, run with nothing but a Java 25
 * ({@code JAVA_HOME}, no Maven, no sources): {@code bin/retina --version} and a short training run.
 */
class DistributionIT {
    static final String VERSION = System.getProperty("retina.version", "");

    /** What a child process printed and returned. */
    record Out(int code, String text) {
    }

    static Path archive(String suffix) {
        Path p = Path.of("target", "retina-" + VERSION + suffix).toAbsolutePath();
        assertTrue(!VERSION.isEmpty() && Files.isRegularFile(p), "the archive " + p + " is built by mvn package");
        return p;
    }

    static Out run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "finishes: " + String.join(" ", command));
        return new Out(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static TreeSet<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void theArchiveRunsWithOnlyAJava(@TempDir Path tmp) throws Exception {
        Path tar = archive(".tar.gz");
        Path zip = archive(".zip");
        Path untarred = tmp.resolve("tar");
        Files.createDirectories(untarred);
        assertEquals(0, run(untarred, Map.of(), "tar", "-xzf", tar.toString()).code());
        Path home = untarred.resolve("retina-" + VERSION);
        TreeSet<String> listed = files(home);
        for (String f : List.of("bin/retina", "bin/retina.bat", "lib/retina-cli.jar", "LICENSE", "README.md",
                "CHANGELOG.md")) {
            assertTrue(listed.contains(f), f + " is in the archive: " + listed);
        }
        assertTrue(listed.stream().anyMatch(f -> f.matches("lib/retina-core-.*\\.jar")), listed.toString());
        assertTrue(listed.stream().anyMatch(f -> f.matches("lib/picocli-.*\\.jar")), listed.toString());
        assertTrue(Files.isExecutable(home.resolve("bin/retina")), "bin/retina keeps its execute bit");

        TreeSet<String> zipped = new TreeSet<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (!e.isDirectory()) {
                    zipped.add(e.getName().substring(("retina-" + VERSION + "/").length()));
                }
            }
        }
        assertEquals(listed, zipped, "the zip holds the same files as the tar.gz");

        // the user's machine: a Java 25 and the archive; no Maven on PATH, no source tree around
        String java = Path.of(System.getProperty("java.home")).toString();
        Path cache = tmp.resolve("cache");
        Map<String, String> env = Map.of("JAVA_HOME", java, "PATH", "/usr/bin:/bin", "XDG_CACHE_HOME",
                cache.toString());
        Path work = tmp.resolve("work");
        Files.createDirectories(work);
        Out version = run(work, env, home.resolve("bin/retina").toString(), "--version");
        assertEquals(0, version.code(), version.text());
        assertTrue(version.text().contains("retina " + VERSION), version.text());
        // the first run records the start-up cache for this Java; later runs use it (a JVM refusing it would say so
        // only in its log, which the launcher silences: the runs below pass either way, so check the file is there)
        assertTrue(version.text().contains("recording the start-up cache"), version.text());
        try (Stream<Path> s = Files.list(cache.resolve("retina/aot"))) {
            assertTrue(s.anyMatch(p -> p.toString().endsWith(".aot")), "a start-up cache in " + cache);
        }
        try (Stream<Path> s = Files.list(cache.resolve("retina/java"))) {
            assertEquals(1, s.count(), "the Java found is remembered, not asked its version on every run");
        }
        Out again = run(work, env, home.resolve("bin/retina").toString(), "--version");
        assertFalse(again.text().contains("recording"), "recorded once: " + again.text());
        assertEquals(0, again.code(), again.text());
        assertTrue(again.text().contains("retina " + VERSION), again.text());
        // no HOME and no XDG_CACHE_HOME (a service account, a bare container): it runs, without the caches
        ProcessBuilder bare = new ProcessBuilder(home.resolve("bin/retina").toString(), "--version")
                .directory(work.toFile()).redirectErrorStream(true);
        bare.environment().putAll(env);
        bare.environment().remove("HOME");
        bare.environment().remove("XDG_CACHE_HOME");
        Process b = bare.start();
        String bareOut = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(b.waitFor(2, TimeUnit.MINUTES), "finishes without HOME");
        assertEquals(0, b.exitValue(), bareOut);
        assertTrue(bareOut.contains("retina " + VERSION), bareOut);

        Path report = work.resolve("report.json");
        List<String> train = new ArrayList<>(List.of(home.resolve("bin/retina").toString(), "train", "--dataset",
                "mnist", "--data", TestData.dataset("mnist").toString(), "--epochs", "1", "--subset", "3000",
                "--validation", "500", "--threads", "2", "--out", work.resolve("run").toString(), "--report",
                report.toString()));
        Out trained = run(work, env, train.toArray(String[]::new));
        assertEquals(0, trained.code(), trained.text());
        double acc = ((Number) Json.parseObject(Files.readString(report)).get("test_accuracy")).doubleValue();
        // 2,500 MNIST images, one epoch of the Fashion-MNIST network: far above chance (10%) when it trains
        assertTrue(acc > 0.85, "test accuracy " + acc + "\n" + trained.text());
        assertTrue(Files.isRegularFile(work.resolve("run/best.retina")));

        // --spark: the archive carries no Spark; it names SPARK_HOME when there is none, and runs with one
        Path images = Files.createDirectories(work.resolve("images"));
        org.retina.data.Dataset mnist = org.retina.data.DatasetStore.open("mnist",
                org.retina.data.DatasetStore.Split.TEST, TestData.dataset("mnist"));
        for (int i = 0; i < 6; i++) {
            TestData.writeGreyPng(mnist, i, images.resolve(i + ".png"));
        }
        String[] score = {home.resolve("bin/retina").toString(), "predict", "--spark", "local[1]", "--model",
            work.resolve("run/best.retina").toString(), "--input", images.toString(), "--output",
            work.resolve("scores.parquet").toString()};
        Out noSpark = run(work, env, score);
        assertEquals(2, noSpark.code(), noSpark.text());
        assertTrue(noSpark.text().contains("--spark needs Apache Spark 4.2 (Scala 2.13): set SPARK_HOME"),
                noSpark.text());
        // a Spark home as a user has one: its jars folder (here the Spark jars the build copied)
        Path sparkHome = tmp.resolve("spark");
        Path jars = Files.createDirectories(sparkHome.resolve("jars"));
        try (Stream<Path> s = Files.list(Path.of("target", "spark-lib"))) {
            for (Path j : s.toList()) {
                Files.createSymbolicLink(jars.resolve(j.getFileName()), j.toAbsolutePath());
            }
        }
        Map<String, String> withSpark = new java.util.HashMap<>(env);
        withSpark.put("SPARK_HOME", sparkHome.toString());
        withSpark.put("SPARK_LOCAL_IP", "127.0.0.1");
        Out scored = run(work, withSpark, score);
        assertEquals(0, scored.code(), scored.text());
        assertTrue(scored.text().contains("Scored 6 images on local[1]"), scored.text());
        assertTrue(Files.isRegularFile(work.resolve("scores.parquet/_SUCCESS")), "Parquet written");
    }
}
