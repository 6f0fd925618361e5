package org.retina.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.retina.model.Model;
import org.retina.tensor.Tensor;
import org.retina.viz.GradCam;
import org.retina.viz.Png;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code retina explain}: where the network looks in one image (Grad-CAM), as a PNG. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Show where the network looks in an image: Grad-CAM, the gradient of the class's score at a"
            + " late feature map weighing its channels, drawn over the image.",
            "By default the class the model predicts, at the last convolution's activation."})
final class ExplainCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model file (.retina or .onnx).")
    String model;

    @Mixin
    ImageOptions input;

    @Option(names = "--out", description = "The PNG to write (default: cam.png).")
    Path out = Path.of("cam.png");

    @Option(names = "--layer", description = "The node whose output the map is read at (default: the last"
            + " convolution's activation).")
    String layer;

    @Option(names = "--class", paramLabel = "K", description = "Explain class K (a number) instead of the"
            + " predicted one.")
    Integer label;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws IOException {
        threads.apply();
        Inputs.requireModelFile(model, "explain");
        Inputs.writableFile("--out", out);
        Inputs.LoadedModel lm = Inputs.model(model, 0, 0);
        Model m = lm.model();
        if (m.inputShape().rank() != 3) {
            throw new Errors.UserError("the model's input is " + m.inputShape() + ": explain reads images (C, H, W)");
        }
        Tensor x = input.read(m.inputShape(), lm.metadata());
        GradCam.Cam cam;
        try {
            cam = GradCam.of(m, x, layer, label == null ? -1 : label);
        } catch (IllegalArgumentException e) {
            throw new Errors.UserError(e.getMessage());
        }
        Tensor probs = org.retina.train.Predictions.of(m, x, 1).probabilities();
        List<String> names = lm.classNames() == null ? List.of() : lm.classNames();
        Png.write(GradCam.figure(x, cam, names), out);
        String name = cam.label() < names.size() ? names.get(cam.label()) : Integer.toString(cam.label());
        System.out.printf(Locale.ROOT, "%s: class %s (probability %.1f%%), Grad-CAM at %s, brightest at x=%d y=%d;"
                + " written to %s%n", input.image, name, 100 * probs.data()[cam.label()], cam.layer(), cam.peakX(),
                cam.peakY(), out);
        return 0;
    }
}
