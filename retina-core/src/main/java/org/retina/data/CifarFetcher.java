package org.retina.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.retina.data.DatasetStore.Progress;
import org.retina.data.format.Cifar10;
import org.retina.data.format.Tar;

/**
 * Fills {@code root/cifar10/} from the official CIFAR-10 binary archive: downloaded over HTTPS into a
 * {@code .part} file that a later run continues (HTTP range request) or restarts when the server cannot resume,
 * checked against its SHA-256, unpacked into a staging folder and moved into place in one rename, so the store
 * never holds half a dataset.
 */
final class CifarFetcher {
    /** The official archive of the binary version, its size and SHA-256. */
    static final URI OFFICIAL = URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    static final String OFFICIAL_SHA256 = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd";
    static final String ARCHIVE = "cifar-10-binary.tar.gz";
    private static final String NAME = "cifar10";

    private final URI url;
    private final String sha256;

    CifarFetcher(URI url, String sha256) {
        this.url = url;
        this.sha256 = sha256;
    }

    /** The official archive. */
    static CifarFetcher official() {
        return new CifarFetcher(OFFICIAL, OFFICIAL_SHA256);
    }

    /** Makes {@code root/cifar10/} hold the unpacked binary version and returns it; see the class note. */
    Path fetch(Path root, Progress progress) throws IOException {
        Path target = root.resolve(NAME);
        if (present(target)) {
            return target;
        }
        Files.createDirectories(root);
        Path part = root.resolve("." + ARCHIVE + ".part");
        try {
            download(part, progress);
        } catch (IOException e) {
            throw new IOException("could not fetch 'cifar10': GET " + url + ": " + e.getMessage()
                    + (Files.exists(part) ? " (the part downloaded so far is kept in " + part
                    + "; the next fetch continues it)" : "")
                    + "\nWhat to do: download " + ARCHIVE + " (the CIFAR-10 binary version, SHA-256 " + sha256
                    + ") by hand and run 'retina fetch cifar10 --archive FILE', or unpack it into " + target, e);
        }
        progress.update("verify " + ARCHIVE, 0, 1);
        String got = sha256(part);
        if (!got.equals(sha256)) {
            Files.delete(part);
            throw new IOException("could not fetch 'cifar10': the downloaded " + ARCHIVE + " has SHA-256 " + got
                    + ", expected " + sha256 + "; the damaged download was deleted, run the fetch again");
        }
        progress.update("verify " + ARCHIVE, 1, 1);
        install(part, target, progress, "downloaded from " + url);
        Files.delete(part);
        return target;
    }

    /** Installs an archive the user downloaded; it must be the official one (its SHA-256 is checked first). */
    Path install(Path archive, Path root, Progress progress) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new IOException("archive " + archive + " does not exist or is not a file");
        }
        progress.update("verify " + archive.getFileName(), 0, 1);
        String got = sha256(archive);
        if (!got.equals(sha256)) {
            throw new IOException(archive + ": SHA-256 " + got + ", expected " + sha256 + " (the CIFAR-10 binary"
                    + " version, " + ARCHIVE + "); is it the right file, downloaded completely?");
        }
        progress.update("verify " + archive.getFileName(), 1, 1);
        Files.createDirectories(root);
        Path target = root.resolve(NAME);
        install(archive, target, progress, "installed from " + archive.getFileName());
        return target;
    }

    /** Whether {@code dir} holds every file of the binary version, each a whole number of records. */
    static boolean present(Path dir) {
        Path folder = dir.resolve(Cifar10.SUBFOLDER);
        List<String> files = new ArrayList<>(Cifar10.TRAIN_FILES);
        files.add(Cifar10.TEST_FILE);
        for (String f : files) {
            Path p = folder.resolve(f);
            try {
                long size = Files.isRegularFile(p) ? Files.size(p) : 0;
                if (size == 0 || size % Cifar10.RECORD != 0) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private void download(Path part, Progress progress) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build()) {
            HttpRequest.Builder req = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2)).GET();
            if (have > 0) {
                req.header("Range", "bytes=" + have + "-");
            }
            HttpResponse<InputStream> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = resp.body()) {
                int status = resp.statusCode();
                boolean resumed = status == 206 && have > 0;
                if (status == 416 && have > 0) {
                    return; // the part is already complete: the checksum decides
                }
                if (status != 200 && !resumed) {
                    throw new IOException("HTTP status " + status + ", expected 200");
                }
                long done = resumed ? have : 0;
                long length = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
                long total = length < 0 ? -1 : done + length;
                // a server that ignores the range sends the whole file: start the part again
                try (OutputStream out = resumed ? Files.newOutputStream(part, StandardOpenOption.APPEND)
                        : Files.newOutputStream(part)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                        done += n;
                        progress.update("download " + ARCHIVE, done, total);
                    }
                }
                if (total >= 0 && done != total) {
                    throw new IOException("the connection ended after " + done + " of " + total + " bytes");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (IOException | java.nio.channels.UnresolvedAddressException e) {
            throw new IOException(Fetcher.describe(e), e); // the MNIST fetch's words for no connection, timeouts
        }
    }

    /** Unpacks the batches into a staging folder next to {@code target}, checks them, then renames it into place. */
    private static void install(Path archive, Path target, Progress progress, String how) throws IOException {
        Path root = target.getParent();
        Path stage = Files.createTempDirectory(root, "." + NAME + "-fetch-");
        try {
            progress.update("unpack " + ARCHIVE, 0, -1);
            Tar.extract(archive, stage, name -> name.startsWith(Cifar10.SUBFOLDER + "/"));
            if (!present(stage)) {
                throw new IOException(archive + ": the archive lacks the CIFAR-10 binary batches (expected "
                        + Cifar10.SUBFOLDER + "/ with " + String.join(", ", Cifar10.TRAIN_FILES) + " and "
                        + Cifar10.TEST_FILE + ")");
            }
            Cifar10.load(stage.resolve(Cifar10.SUBFOLDER), false); // reads every label: a damaged batch fails here
            Files.writeString(stage.resolve("SOURCE.txt"), NAME + ": " + how + "\n", StandardCharsets.UTF_8);
            Files.createDirectories(target);
            Path batches = target.resolve(Cifar10.SUBFOLDER);
            Fetcher.deleteTree(batches); // an incomplete earlier copy: present() said it is not usable
            try {
                Files.move(stage.resolve(Cifar10.SUBFOLDER), batches, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(stage.resolve(Cifar10.SUBFOLDER), batches);
            }
            Files.move(stage.resolve("SOURCE.txt"), target.resolve("SOURCE.txt"),
                    StandardCopyOption.REPLACE_EXISTING);
            progress.update("unpack " + ARCHIVE, 1, 1);
        } finally {
            Fetcher.deleteTree(stage);
        }
    }

    private static String sha256(Path file) throws IOException {
        return Fetcher.sha256(file, false);
    }
}
