package org.retina.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.retina.data.format.ImageInput;
import org.retina.data.format.Npy;
import org.retina.io.AtomicFile;
import org.retina.model.Model;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.train.Predictions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code retina predict}: the most likely classes of images, or a model's raw outputs on a NumPy batch. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify images (PNG, JPEG, BMP) with a trained model: the top classes and probabilities.",
            "With --input x.npy --output y.npy: run the model in evaluation mode on the batch and save its outputs."})
final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model file (.retina or .onnx).")
    String model;

    @Option(names = "--top", defaultValue = "3", description = "Classes to show per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--input", description = "A .npy batch (N, ...the model's input shape), or one sample; with"
            + " --spark, a folder of images or Parquet of pixel rows.")
    Path input;

    @Option(names = "--output", description = "Where to write the outputs of --input (float32 NumPy file; with"
            + " --spark, Parquet: path or index, prediction, class, probabilities).")
    Path output;

    @Option(names = "--batch-size", defaultValue = "64", description = "Samples per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--device", defaultValue = "cpu", description = "Where to run: cpu or cuda (default: ${DEFAULT-VALUE}).")
    String device;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--resize", description = "Resize images of another size (bilinear) and convert colour to grey or"
            + " grey to colour to fit the model's input; without it such an image is an error.")
    boolean resize;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Score --input on Apache Spark (local[N], a"
            + " cluster's master URL, or submit under spark-submit), the model loaded once per executor thread.")
    String spark;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "Image files.")
    List<Path> images = List.of();

    @Override
    public Integer call() throws IOException {
        threads.apply();
        Inputs.requireModelFile(model, "predict");
        if (spark != null) {
            if (!model.endsWith(".retina")) {
                throw new Errors.UserError("--spark scores with a .retina model file; import an ONNX file first");
            }
            return SparkRun.predict(spark, Path.of(model), input, output, batchSize, resize, System.out);
        }
        if ((input == null) != (output == null)) {
            throw new Errors.UserError(input == null ? "--output needs --input x.npy" : "--input needs --output y.npy");
        }
        if (input == null && images.isEmpty()) {
            throw new Errors.UserError("nothing to predict: give IMAGE files, or --input x.npy --output y.npy");
        }
        if (input != null && !images.isEmpty()) {
            throw new Errors.UserError("give either IMAGE files or --input, not both");
        }
        if (batchSize < 1) {
            throw new Errors.UserError("--batch-size " + batchSize + ": expected 1 or more");
        }
        Inputs.LoadedModel lm = Inputs.model(model, 0, 0);
        return input != null ? predictArray(lm.model()) : classify(lm);
    }

    /** The model's outputs on the .npy batch, written as float32 .npy. */
    private int predictArray(Model m) throws IOException {
        Tensor x = Npy.read(input).toTensor();
        Shape in = m.inputShape();
        if (x.shape().equals(in)) {
            x = x.reshape(in.withBatch(1));
        } else if (x.rank() != in.rank() + 1 || !x.shape().dropFirst().equals(in)) {
            throw new Errors.UserError("--input " + input + " holds an array of shape " + x.shape() + "; the model"
                    + " expects " + in.toBatchString() + " (or one sample " + in + ")");
        }
        Tensor y = Predictions.outputs(m, x, batchSize, device);
        AtomicFile.write(output, out -> Npy.write(out, y));
        System.out.println("Wrote the outputs " + y.shape() + " of " + x.dim(0) + " sample(s) to " + output);
        return 0;
    }

    private int classify(Inputs.LoadedModel lm) throws IOException {
        Model m = lm.model();
        Shape in = m.inputShape();
        if (in.rank() != 3 || (in.dim(0) != 1 && in.dim(0) != 3)) {
            throw new Errors.UserError("the model's input is " + in + ": predict reads images into 1 or 3 channels");
        }
        Tensor x = readImages(images, in, lm.metadata(), resize);
        Predictions pr = Predictions.of(m, x, batchSize, device);
        if (lm.classNames() != null) {
            pr = pr.withClassNames(lm.classNames());
        }
        for (int i = 0; i < images.size(); i++) {
            StringBuilder sb = new StringBuilder(images.get(i).toString()).append(':');
            for (Predictions.Ranked r : pr.topK(i, top)) {
                sb.append(String.format(Locale.ROOT, "  %s %.1f%%", r.name(), 100 * r.probability()));
            }
            System.out.println(sb);
        }
        return 0;
    }

    /** The image files as {@link ImageInput} reads them. */
    static Tensor readImages(List<Path> files, Shape in, java.util.Map<String, Object> metadata, boolean resize)
            throws IOException {
        List<ImageInput.Encoded> encoded = new java.util.ArrayList<>();
        for (Path f : files) {
            encoded.add(new ImageInput.Encoded(f.toString(), java.nio.file.Files.readAllBytes(f)));
        }
        return ImageInput.read(encoded, in, metadata, resize);
    }
}
