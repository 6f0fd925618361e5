package org.retina.viz;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.retina.model.Model;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * What one layer makes of one image: every channel of its output as a grid (viridis, each channel stretched to its
 * own range), titled with the layer's name and each map with its channel index, beside the input image.
 */
public final class FeatureMaps {
    /** About how many pixels a map's longer side becomes. */
    static final int TILE = 64;

    private FeatureMaps() {
    }

    /** The names of the nodes whose output is a stack of maps {@code (C, H, W)}: those this class can draw. */
    public static List<String> layersWithMaps(Model model) {
        List<String> names = new ArrayList<>();
        for (Model.Node n : model.nodes()) {
            if (model.shapeOf(n.name()).rank() == 3) {
                names.add(n.name());
            }
        }
        return names;
    }

    /**
     * The maps of node {@code layer} for {@code image}, shaped as the model's input {@code (C, H, W)} (or a batch
     * of one), already normalized as in training.
     */
    public static BufferedImage of(Model model, Tensor image, String layer) {
        Shape in = model.inputShape();
        Tensor x = image.shape().equals(in) ? image.reshape(in.withBatch(1)) : image;
        if (!x.shape().equals(in.withBatch(1))) {
            throw new IllegalArgumentException("FeatureMaps: the image is " + image.shape() + ", the model expects "
                    + in + " (or " + in.withBatch(1) + ")");
        }
        Shape out = model.shapeOf(layer);
        if (out.rank() != 3) {
            throw new IllegalArgumentException("FeatureMaps: '" + layer + "' outputs " + out + ", not feature maps"
                    + " (C, H, W); layers with maps: " + String.join(", ", layersWithMaps(model)));
        }
        Map<String, Tensor> values = model.outputs(x, Model.INPUT, layer);
        float[] maps = values.get(layer).data();
        int c = out.dim(0);
        int h = out.dim(1);
        int w = out.dim(2);
        int scale = Draw.scaleFor(Math.max(h, w), TILE);
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int flat = 0;
        for (int k = 0; k < c; k++) {
            float[] u = Draw.unit(maps, k * h * w, h * w);
            boolean constant = isConstant(maps, k * h * w, h * w);
            flat += constant ? 1 : 0;
            tiles.add(Draw.mapped(u, h, w, scale, Draw::viridis));
            labels.add(constant ? k + " flat" : Integer.toString(k));
        }
        int inScale = Draw.scaleFor(Math.max(in.dim(1), in.dim(2)), 2 * TILE);
        BufferedImage input = Draw.stretched(values.get(Model.INPUT).data(), 0, in.dim(0), in.dim(1), in.dim(2),
                inScale);
        String type = layer.equals(Model.INPUT) ? "Input" : model.node(layer).component().type();
        String title = String.format(Locale.ROOT, "%s (%s): %d feature map%s of %dx%d", layer, type, c,
                c == 1 ? "" : "s", h, w);
        String subtitle = "each map stretched from its lowest value (dark violet) to its highest (yellow)"
                + (flat > 0 ? "; " + flat + " flat (one value everywhere)" : "");
        return Tiles.grid(title, subtitle, input, "input " + in.dim(1) + "x" + in.dim(2), tiles, labels);
    }

    private static boolean isConstant(float[] v, int off, int len) {
        for (int i = off + 1; i < off + len; i++) {
            if (v[i] != v[off]) {
                return false;
            }
        }
        return true;
    }
}
