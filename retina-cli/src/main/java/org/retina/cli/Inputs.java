package org.retina.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.data.Datasets;
import org.retina.data.Relabel;
import org.retina.data.format.ImageInput;
import org.retina.io.ModelFile;
import org.retina.kernel.Engine;
import org.retina.model.Model;
import org.retina.onnx.Imported;
import org.retina.onnx.Onnx;
import org.retina.optim.OptimizerConfig;
import org.retina.tensor.Shape;
import org.retina.zoo.Zoo;

/** What the commands share: resolving models and datasets from options, with user-facing errors. */
final class Inputs {
    private Inputs() {
    }

    /** A model with what its file said about it (class names, dataset); empty metadata for zoo models. */
    record LoadedModel(Model model, Map<String, Object> metadata, String source) {
        @SuppressWarnings("unchecked")
        List<String> classNames() {
            Object c = metadata.get("classNames");
            return c instanceof List<?> l ? (List<String>) l : null;
        }
    }

    static void threads(Integer threads) {
        if (threads != null) {
            if (threads < 1) {
                throw new Errors.UserError("--threads " + threads + ": expected 1 or more");
            }
            Engine.setDefaults(threads);
        }
    }

    /** Refuses, naming {@code command}, a {@code --model} that is not a trained model file (a zoo name, say). */
    static void requireModelFile(String spec, String command) {
        if (!isModelFile(spec)) {
            throw new Errors.UserError("--model " + spec + ": " + command + " needs a trained model file (.retina or"
                    + " .onnx)");
        }
    }

    static boolean isModelFile(String spec) {
        return spec.endsWith(".retina") || Onnx.isOnnxFile(Path.of(spec)) || Files.isRegularFile(Path.of(spec));
    }

    /**
     * A model file ({@code .retina}, or {@code .onnx} imported), or a zoo model built for {@code numClasses} (its
     * own when not positive) with {@code seed}.
     */
    static LoadedModel model(String spec, int numClasses, long seed) throws IOException {
        if (isModelFile(spec)) {
            Path p = Path.of(spec);
            if (!Files.exists(p)) {
                throw new Errors.UserError("model file " + p + " does not exist");
            }
            if (Onnx.isOnnxFile(p)) {
                Imported m = Onnx.read(p);
                return new LoadedModel(m.model(), m.retinaMetadata(), p.toString());
            }
            ModelFile.Contents c = ModelFile.read(p);
            return new LoadedModel(c.model(), c.metadata(), p.toString());
        }
        if (!Zoo.names().contains(spec)) {
            throw new Errors.UserError("unknown model '" + spec + "': expected a model file (.retina or .onnx) or one"
                    + " of " + String.join(", ", Zoo.names()));
        }
        int classes = numClasses > 0 ? numClasses : Zoo.entry(spec).defaultClasses();
        return new LoadedModel(Zoo.create(spec, classes, seed), Map.of(), spec);
    }

    /**
     * Checks that {@code dir} is, or can be made, a folder this process writes into (the folder is made);
     * otherwise a one-sentence error names the option, the path and the reason.
     */
    static void writableFolder(String option, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new Errors.UserError(option + " " + dir + " is an existing file, not a folder; give a folder for"
                    + " the run's files (it is made when missing)");
        }
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".write-check-", ""));
        } catch (IOException | SecurityException e) {
            throw new Errors.UserError(option + " " + dir + ": cannot write into that folder (" + reason(e)
                    + "); choose a folder you can write to");
        }
    }

    /** Checks that file {@code file} can be written: not a folder, and its folder writable (made when missing). */
    static void writableFile(String option, Path file) {
        if (Files.isDirectory(file)) {
            throw new Errors.UserError(option + " " + file + " is a folder; give a file name, e.g. " + file
                    .resolve("report.json"));
        }
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            Files.delete(Files.createTempFile(parent, ".write-check-", ""));
        } catch (IOException | SecurityException e) {
            throw new Errors.UserError(option + " " + file + ": cannot write into its folder " + parent + " ("
                    + reason(e) + "); choose a place you can write to");
        }
    }

    private static String reason(Exception e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * Opens a split of a dataset, from {@code --data DIR} or the store; an empty store is filled first
     * (as Keras's {@code load_data} does), with a progress bar.
     */
    static Dataset dataset(String name, DatasetStore.Split split, Path dir, PrintStream out) throws IOException {
        String n;
        try {
            n = DatasetStore.canonicalName(name);
        } catch (IllegalArgumentException e) {
            throw new Errors.UserError(e.getMessage());
        }
        try {
            return DatasetStore.open(n, split, dir);
        } catch (DatasetStore.NotFoundException e) {
            if (dir != null) {
                throw e;
            }
            out.println("Dataset '" + n + "' is not in the store " + DatasetStore.defaultRoot() + ": fetching it.");
            DatasetStore.fetch(n, new DownloadProgress(out));
            return DatasetStore.open(n, split, null);
        }
    }

    /**
     * The dataset as the model sees it: the same shape, or smaller images zero-padded evenly to the model's
     * size (MNIST's 28x28 into LeNet-5's 32x32, as the classic setup does).
     */
    static Dataset fitTo(Dataset d, Shape modelInput, PrintStream out) {
        Shape s = d.sampleShape();
        if (s.equals(modelInput)) {
            return d;
        }
        if (s.rank() == 3 && modelInput.rank() == 3 && s.dim(0) == modelInput.dim(0)) {
            int dh = modelInput.dim(1) - s.dim(1);
            int dw = modelInput.dim(2) - s.dim(2);
            if (dh >= 0 && dw >= 0 && dh % 2 == 0 && dw % 2 == 0) {
                out.printf(Locale.ROOT, "Padding the %dx%d images by %d/%d pixels to the model's %dx%d input.%n",
                        s.dim(1), s.dim(2), dh / 2, dw / 2, modelInput.dim(1), modelInput.dim(2));
                return Datasets.padded(d, dh / 2, dw / 2);
            }
        }
        throw new Errors.UserError("the dataset's images are " + s + ", the model expects " + modelInput
                + ": choose a model for this dataset (retina summary --model NAME shows its input)");
    }

    /**
     * The dataset seen with fewer classes, as {@code --classes 5,7,9} (only those, numbered 0, 1, 2) or
     * {@code --binary 5,7,9} (those as class 1 against the rest as 0) ask; {@code spec} is {@code classes:5,7,9} or
     * {@code binary:5,7,9}, as model files keep it under {@code relabel}, or null for the dataset as it is.
     */
    static Dataset relabel(Dataset d, String spec) {
        if (spec == null) {
            return d;
        }
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? "" : spec.substring(0, colon);
        int[] classes;
        try {
            classes = java.util.Arrays.stream(spec.substring(colon + 1).split(",")).map(String::strip)
                    .mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new Errors.UserError("--" + kind + " " + spec.substring(colon + 1)
                    + ": expected class numbers separated by commas, such as 5,7,9");
        }
        try {
            return switch (kind) {
                case "classes" -> Relabel.classes(d, classes);
                case "binary" -> Relabel.binary(d, classes);
                default -> throw new Errors.UserError("relabel '" + spec + "': expected classes:... or binary:...");
            };
        } catch (IllegalArgumentException e) {
            throw new Errors.UserError("--" + kind + ": " + e.getMessage());
        }
    }

    /** What a saved model keeps about its data, so evaluate and predict need no options to match it. */
    static Map<String, Object> metadata(String datasetName, Dataset d, Shape modelInput) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", datasetName);
        m.put("classNames", d.classNames());
        m.put("datasetShape", List.of(d.sampleShape().dims()[0], d.sampleShape().dims()[1],
                d.sampleShape().dims()[2]));
        d.normalization().ifPresent(n -> {
            m.put("normalizeMean", toList(n.mean()));
            m.put("normalizeStd", toList(n.std()));
        });
        return m;
    }

    /** The dataset normalized as the model's training data was, when its metadata says so. */
    static Dataset normalizedLike(Dataset d, Map<String, Object> metadata) {
        float[] mean = ImageInput.floats(metadata.get("normalizeMean"));
        float[] std = ImageInput.floats(metadata.get("normalizeStd"));
        return mean != null && std != null ? d.normalized(mean, std) : d;
    }

    private static List<Double> toList(float[] v) {
        Double[] d = new Double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = (double) v[i];
        }
        return List.of(d);
    }

    /** The optimizer {@code --optimizer NAME} stands for, at rate {@code lr}; a bad name is the user's error. */
    static OptimizerConfig optimizer(String name, double lr) {
        try {
            return OptimizerConfig.named(name, lr);
        } catch (IllegalArgumentException e) {
            throw new Errors.UserError("--optimizer: " + e.getMessage());
        }
    }

    /** A model name or file as a folder-name part: the file name without .retina, odd characters as _. */
    static String safe(String s) {
        String f = Path.of(s).getFileName().toString();
        return f.replaceAll("\\.retina$", "").replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
