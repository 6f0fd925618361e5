package org.retina.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.data.format.Cifar10;

/**
 * The CIFAR-10 fetch against a local HTTP server on the loopback address that serves a small archive in the
 * official layout (written here with tar), a corrupted copy, a dropped connection and a resumed download.
 */
class CifarFetcherTest {
    @TempDir
    Path tmp;
    private HttpServer server;
    private byte[] good;
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    /** How many bytes of the good archive the next {@code /cut} request sends before closing the connection. */
    private volatile int cutAt;

    /** A tar.gz with cifar-10-batches-bin/: five training batches of 3 records, a test batch of 2, the names. */
    private byte[] writeArchive() throws Exception {
        Path src = tmp.resolve("src");
        Path dir = src.resolve(Cifar10.SUBFOLDER);
        Files.createDirectories(dir);
        int label = 0;
        for (String f : Cifar10.TRAIN_FILES) {
            int[] labels = {label++ % 10, label++ % 10, label++ % 10};
            byte[] px = new byte[labels.length * Cifar10.PIXELS];
            Arrays.fill(px, (byte) label);
            Cifar10.write(dir.resolve(f), labels, px);
        }
        Cifar10.write(dir.resolve(Cifar10.TEST_FILE), new int[] {3, 8}, new byte[2 * Cifar10.PIXELS]);
        Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", Cifar10.CLASS_NAMES) + "\n");
        Path archive = tmp.resolve("cifar-10-binary.tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", src.toString(),
                Cifar10.SUBFOLDER).redirectErrorStream(true).start();
        assertEquals(0, tar.waitFor(), new String(tar.getInputStream().readAllBytes()));
        return Files.readAllBytes(archive);
    }

    @BeforeEach
    void serve() throws Exception {
        good = writeArchive();
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x5a;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/good", ex -> {
            String range = ex.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            ex.getResponseHeaders().add("Content-Length", String.valueOf(good.length - from));
            ex.sendResponseHeaders(range == null ? 200 : 206, good.length - from);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(good, from, good.length - from);
            }
        });
        server.createContext("/bad", ex -> {
            ex.sendResponseHeaders(200, bad.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bad);
            }
        });
        server.createContext("/cut", ex -> {
            ex.sendResponseHeaders(200, good.length);
            OutputStream out = ex.getResponseBody();
            out.write(good, 0, cutAt);
            out.flush();
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private CifarFetcher fetcher(String path) {
        return new CifarFetcher(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path),
                Fetcher.sha256Hex(good));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aDownloadIsCheckedUnpackedAndReadable() throws IOException {
        Path store = tmp.resolve("store");
        List<String> steps = new ArrayList<>();
        Path dir = fetcher("/good").fetch(store, (what, done, total) -> steps.add(what));
        assertEquals(store.resolve("cifar10"), dir);
        Dataset train = DatasetStore.open("cifar10", DatasetStore.Split.TRAIN, null, store);
        assertEquals(15, train.size());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4}, Arrays.copyOf(
                ((ByteDataset) train).labels(), 15));
        assertEquals(2, DatasetStore.open("cifar10", DatasetStore.Split.TEST, null, store).size());
        assertTrue(steps.contains("download cifar-10-binary.tar.gz") && steps.contains("verify cifar-10-binary.tar.gz"),
                steps.toString());
        assertTrue(Files.readString(dir.resolve("SOURCE.txt")).contains("downloaded from"));
        assertEquals(List.of(".", "cifar10"), listing(store).stream().filter(p -> !p.contains("/")).toList()
                .stream().map(p -> p.isEmpty() ? "." : p).toList(), "nothing but the dataset is left in the store");
        // a second fetch only looks
        ranges.clear();
        fetcher("/good").fetch(store, DatasetStore.Progress.NONE);
        assertTrue(ranges.isEmpty(), "no request when the dataset is there: " + ranges);
    }

    @Test
    void aCorruptedDownloadIsDeletedAndNothingIsInstalled() throws IOException {
        Path store = tmp.resolve("store");
        IOException e = assertThrows(IOException.class, () -> fetcher("/bad").fetch(store,
                DatasetStore.Progress.NONE));
        assertTrue(e.getMessage().contains("SHA-256") && e.getMessage().contains("expected "
                + Fetcher.sha256Hex(good)) && e.getMessage().contains("run the fetch again"), e.getMessage());
        assertFalse(Files.exists(store.resolve("cifar10")), "no half dataset");
        assertEquals(List.of(""), listing(store), "the damaged download is gone");
    }

    @Test
    void anInterruptedDownloadContinuesWhereItStopped() throws IOException {
        Path store = tmp.resolve("store");
        cutAt = good.length / 3;
        IOException e = assertThrows(IOException.class, () -> fetcher("/cut").fetch(store,
                DatasetStore.Progress.NONE));
        assertTrue(e.getMessage().contains("the next fetch continues it"), e.getMessage());
        Path part = store.resolve(".cifar-10-binary.tar.gz.part");
        assertEquals(cutAt, Files.size(part), "the bytes received are kept");
        ranges.clear();
        fetcher("/good").fetch(store, DatasetStore.Progress.NONE);
        assertEquals(List.of("bytes=" + cutAt + "-"), ranges, "only the rest is asked for");
        assertEquals(15, DatasetStore.open("cifar10", DatasetStore.Split.TRAIN, null, store).size());
        assertFalse(Files.exists(part));
    }

    @Test
    void offlineTheErrorSaysWhereToPutTheFileByHand() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path store = tmp.resolve("store");
        CifarFetcher f = new CifarFetcher(URI.create("http://127.0.0.1:" + closed + "/x"), Fetcher.sha256Hex(good));
        IOException e = assertThrows(IOException.class, () -> f.fetch(store, DatasetStore.Progress.NONE));
        String m = e.getMessage();
        assertTrue(m.contains("no connection") && m.contains("retina fetch cifar10 --archive FILE")
                && m.contains(store.resolve("cifar10").toString()), m);
    }

    @Test
    void anArchiveDownloadedByHandIsCheckedAndInstalled() throws IOException {
        Path archive = tmp.resolve("by-hand.tar.gz");
        Files.write(archive, good);
        Path store = tmp.resolve("store");
        fetcher("/unused").install(archive, store, DatasetStore.Progress.NONE);
        assertEquals(2, DatasetStore.open("cifar10", DatasetStore.Split.TEST, null, store).size());
        Path other = tmp.resolve("other.tar.gz");
        Files.write(other, Arrays.copyOf(good, good.length - 1));
        IOException e = assertThrows(IOException.class, () -> fetcher("/unused").install(other,
                tmp.resolve("store2"), DatasetStore.Progress.NONE));
        assertTrue(e.getMessage().contains("SHA-256") && e.getMessage().contains("downloaded completely"),
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("store2/cifar10")));
    }
}
