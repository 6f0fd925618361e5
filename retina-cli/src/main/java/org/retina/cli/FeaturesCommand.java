package org.retina.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.retina.model.Model;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.viz.FeatureMaps;
import org.retina.viz.Png;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code retina features}: every feature map one layer makes of one image, as a PNG grid. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = "Draw what a layer of a trained model makes of an image: every channel of its output as a grid"
            + " (PNG), beside the image.")
final class FeaturesCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model file (.retina or .onnx).")
    String model;

    @Mixin
    ImageOptions input;

    @Option(names = "--layer", required = true, description = "The layer (node name) whose output to draw, e.g. conv1.")
    String layer;

    @Option(names = "--out", description = "The PNG file to write (default: feature-maps-LAYER.png).")
    Path out;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws IOException {
        threads.apply();
        Inputs.requireModelFile(model, "features");
        Inputs.LoadedModel lm = Inputs.model(model, 0, 0);
        Model m = lm.model();
        List<String> drawable = FeatureMaps.layersWithMaps(m);
        if (!drawable.contains(layer)) {
            String why = m.names().contains(layer) ? "its output is " + m.shapeOf(layer)
                    + ", not feature maps (C, H, W)" : "the model has no such layer";
            throw new Errors.UserError("--layer " + layer + ": " + why + "; layers with feature maps: "
                    + String.join(", ", drawable));
        }
        Shape in = m.inputShape();
        if (in.rank() != 3 || (in.dim(0) != 1 && in.dim(0) != 3)) {
            throw new Errors.UserError("the model's input is " + in + ": features reads images into 1 or 3 channels");
        }
        Tensor x = input.read(in, lm.metadata());
        Path target = out != null ? out : Path.of("feature-maps-" + layer.replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
        Png.write(FeatureMaps.of(m, x, layer), target);
        Shape s = m.shapeOf(layer);
        System.out.printf(Locale.ROOT, "%d feature maps of %s (%dx%d) for %s written to %s%n", s.dim(0), layer,
                s.dim(1), s.dim(2), input.image, target);
        return 0;
    }
}
