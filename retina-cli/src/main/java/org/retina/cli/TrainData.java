package org.retina.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.data.Datasets;
import org.retina.data.format.ImageFolder;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;

/**
 * The data of {@code retina train}: a dataset of the store by name, or a folder of images laid out as
 * {@code DIR/train/<class>/<image>} and {@code DIR/test/<class>/<image>} (PyTorch's {@code ImageFolder}, Keras's
 * {@code image_dataset_from_directory}), read at the model's input size once the model is known, so that a model
 * imported from ONNX (224x224 RGB, say) trains on images of any size.
 */
final class TrainData {
    private final String name;
    private final Path folder;
    private final List<String> folderClasses;
    private Dataset train;
    private Dataset test;
    private String relabel;

    private TrainData(String name, Path folder, List<String> folderClasses, Dataset train, Dataset test,
            String relabel) {
        this.name = name;
        this.folder = folder;
        this.folderClasses = folderClasses;
        this.train = train;
        this.test = test;
        this.relabel = relabel;
    }

    /** Opens {@code dataset}: a store name (fetched when missing), or an image folder. */
    static TrainData open(String dataset, Path dataDir, String relabel, PrintStream out) throws IOException {
        Path root = Path.of(dataset);
        if (isFolder(dataset)) {
            List<String> trainClasses = classes(root, "train");
            List<String> testClasses = classes(root, "test");
            if (!trainClasses.equals(testClasses)) {
                throw new Errors.UserError("--dataset " + root + ": the class folders of train " + trainClasses
                        + " and test " + testClasses + " differ; expected the same classes in both");
            }
            return new TrainData(root.toString(), root, trainClasses, null, null, relabel);
        }
        Dataset train = Inputs.dataset(dataset, DatasetStore.Split.TRAIN, dataDir, out);
        Dataset test = Inputs.dataset(dataset, DatasetStore.Split.TEST, dataDir, out);
        return new TrainData(DatasetStore.canonicalName(dataset), null, null, train, test, relabel);
    }

    /** Whether {@code dataset} names a folder of images rather than a dataset of the store. */
    private static boolean isFolder(String dataset) {
        return Files.isDirectory(Path.of(dataset)) && !DatasetStore.NAMES.contains(dataset);
    }

    /**
     * One split as a trained model reads it ({@code retina evaluate}, {@code retina report}): a store dataset padded
     * to the model's input, or an image folder's {@code train/} or {@code test/} read at it; then relabelled.
     */
    static Dataset split(String dataset, Path dataDir, String relabel, DatasetStore.Split split, Shape input,
            PrintStream out) throws IOException {
        Dataset d;
        if (isFolder(dataset)) {
            String sub = split == DatasetStore.Split.TRAIN ? "train" : "test";
            classes(Path.of(dataset), sub);
            d = ImageFolder.load(Path.of(dataset).resolve(sub), options(Path.of(dataset), input));
        } else {
            d = Inputs.fitTo(Inputs.dataset(dataset, split, dataDir, out), input, out);
        }
        return Inputs.relabel(d, relabel);
    }

    /** How to read a folder's images for a model of {@code input}: its size, grey or colour. */
    private static ImageFolder.Options options(Path folder, Shape input) {
        if (input.rank() != 3 || (input.dim(0) != 1 && input.dim(0) != 3)) {
            throw new Errors.UserError("--dataset " + folder + ": the model reads " + input + "; images feed"
                    + " models of (1 or 3, height, width) input");
        }
        return input.dim(0) == 1 ? ImageFolder.Options.gray(input.dim(1), input.dim(2))
                : ImageFolder.Options.rgb(input.dim(1), input.dim(2));
    }

    private static List<String> classes(Path root, String split) throws IOException {
        Path dir = root.resolve(split);
        if (!Files.isDirectory(dir)) {
            throw new Errors.UserError("--dataset " + root + ": no folder '" + split + "' in it; an image folder holds"
                    + " train/<class>/<image> and test/<class>/<image> (.png, .jpg, .bmp)");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .sorted().forEach(names::add);
        }
        if (names.isEmpty()) {
            throw new Errors.UserError("--dataset " + root + ": " + dir + " has no class folders; expected "
                    + split + "/<class>/<image>");
        }
        return names;
    }

    /** The dataset's name as run records and model files keep it: the store name, or the folder. */
    String name() {
        return name;
    }

    /** The relabelling in force ({@code classes:...} or {@code binary:...}), or null. */
    String relabel() {
        return relabel;
    }

    /** Takes a resumed run's relabelling when none was given. */
    void resumeRelabel(String saved) {
        if (relabel == null) {
            relabel = saved;
        }
    }

    /** The classes a model must tell apart, after any relabelling. */
    int classes() {
        if (relabel != null && relabel.startsWith("binary:")) {
            return 2;
        }
        if (relabel != null && relabel.startsWith("classes:")) {
            return relabel.substring("classes:".length()).split(",").length;
        }
        return folder != null ? folderClasses.size() : train.numClasses();
    }

    /**
     * Makes both splits what the model reads: an image folder decoded and resized to {@code input}
     * ({@code (1 or 3, H, W)}), a store dataset padded to it where it is smaller; then relabelled.
     */
    void fitTo(Shape input, long seed, PrintStream out) throws IOException {
        if (folder != null) {
            ImageFolder.Options o = options(folder, input);
            out.printf("Reading the images of %s at the model's %dx%d%s.%n", folder, input.dim(2), input.dim(1),
                    input.dim(0) == 1 ? " grey" : " colour");
            // a folder reads class by class: shuffled once, so that a validation hold-out (the tail) and --subset
            // (the head) see every class, as Keras's image_dataset_from_directory shuffles before its split
            Dataset all = ImageFolder.load(folder.resolve("train"), o);
            train = Datasets.subset(all, permutation(seed, all.size()));
            test = ImageFolder.load(folder.resolve("test"), o);
        } else {
            train = Inputs.fitTo(train, input, out);
            test = Inputs.fitTo(test, input, out);
        }
        train = Inputs.relabel(train, relabel);
        test = Inputs.relabel(test, relabel);
    }

    private static int[] permutation(long seed, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Rng rng = new Rng(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The training split; after {@link #fitTo} for an image folder. */
    Dataset train() {
        return train;
    }

    /** The test split; after {@link #fitTo} for an image folder. */
    Dataset test() {
        return test;
    }
}
