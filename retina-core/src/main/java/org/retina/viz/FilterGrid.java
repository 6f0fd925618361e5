package org.retina.viz;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.retina.model.Model;
import org.retina.nn.Conv2d;

/**
 * The filters of a convolution as a grid of pictures, each upscaled and stretched from its lowest weight (dark)
 * to its highest (bright): grey for one input channel, colour for three (RGB).
 */
public final class FilterGrid {
    /** About how many pixels a filter's side becomes. */
    static final int TILE = 56;

    private FilterGrid() {
    }

    /** Whether the model has a {@link Conv2d} layer whose filters {@link #of(Model)} can draw. */
    public static boolean hasConvolution(Model model) {
        return model.nodes().stream().anyMatch(n -> n.component() instanceof Conv2d);
    }

    /** The filters of the model's first {@link Conv2d} layer, the one that looks at the pixels. */
    public static BufferedImage of(Model model) {
        for (Model.Node n : model.nodes()) {
            if (n.component() instanceof Conv2d conv) {
                return of(n.name(), conv);
            }
        }
        throw new IllegalArgumentException("FilterGrid: the model has no Conv2d layer to draw; its nodes are "
                + model.names());
    }

    /** The filters of {@code conv}, titled with {@code name}. */
    public static BufferedImage of(String name, Conv2d conv) {
        if (conv.weight() == null) {
            throw new IllegalStateException("FilterGrid: Conv2d '" + name + "' is not built yet (no weights)");
        }
        int[] d = conv.weight().value().dims(); // (out, in/groups, kh, kw)
        int out = d[0];
        int in = d[1];
        int kh = d[2];
        int kw = d[3];
        float[] w = conv.weight().value().data();
        int scale = Draw.scaleFor(Math.max(kh, kw), TILE);
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int f = 0; f < out; f++) {
            tiles.add(Draw.stretched(w, f * in * kh * kw, in, kh, kw, scale));
            labels.add(Integer.toString(f));
        }
        String channels = in == 1 ? "1 input channel (grey)" : in == 3 ? "3 input channels (RGB)"
                : in + " input channels (their mean, grey)";
        String title = String.format(Locale.ROOT, "%s: %d filters of %dx%d over %s", name, out, kh, kw, channels);
        return Tiles.grid(title, "each filter stretched from its lowest weight (dark) to its highest (bright)",
                null, null, tiles, labels);
    }
}
