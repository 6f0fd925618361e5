package org.retina.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import picocli.CommandLine.Option;

/** The one image the drawing commands ({@code explain}, {@code features}) read, declared once (a picocli mixin). */
final class ImageOptions {
    @Option(names = "--image", required = true, description = "Image file (PNG, JPEG, BMP), read as for predict.")
    Path image;

    @Option(names = "--resize", description = "Resize and convert an image that does not fit the model, as predict"
            + " --resize does.")
    boolean resize;

    /** The image as a batch of one for a model of input {@code in}, normalized as the model's {@code metadata} says. */
    Tensor read(Shape in, Map<String, Object> metadata) throws IOException {
        if (!Files.isRegularFile(image)) {
            throw new Errors.UserError("--image " + image + ": no such file");
        }
        return PredictCommand.readImages(List.of(image), in, metadata, resize);
    }
}
