package org.retina.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.retina.data.Dataset;
import org.retina.model.Model;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.train.Predictions;

/**
 * Test images in a grid, each titled "predicted (true)" in blue when the model is right and in red when it is
 * wrong, as the Keras CIFAR-10 tutorial's figure.
 */
public final class PredictionGrid {
    /** About how many pixels an image's longer side becomes. */
    static final int TILE = 84;
    private static final int COLUMNS = 8;
    private static final int MAX_TITLE = 118;

    private PredictionGrid() {
    }

    /** One picture with the class the model predicts and the true one. */
    public record Item(BufferedImage image, String predicted, String truth) {
        /** Whether the prediction is the true class, which titles the image in blue rather than red. */
        public boolean right() {
            return predicted.equals(truth);
        }
    }

    /** {@code count} images of {@code data} picked at random with {@code seed}, classified by {@code model}. */
    public static List<Item> sample(Model model, Dataset data, int count, long seed) {
        int[] picked = pick(data, count, seed);
        return items(data, picked, classify(model, data, picked));
    }

    /**
     * The images {@link #sample} picks, each overlaid with its Grad-CAM map for the class the model predicts
     * ({@link GradCam}, at its default layer): where the network looks.
     */
    public static List<Item> explained(Model model, Dataset data, int count, long seed) {
        Shape s = data.sampleShape();
        int[] picked = pick(data, count, seed);
        String layer = GradCam.defaultLayer(model);
        int scale = Draw.scaleFor(Math.max(s.dim(1), s.dim(2)), TILE);
        float[] in = new float[s.size()];
        float[] px = new float[s.size()];
        List<Item> items = new ArrayList<>();
        for (int i : picked) {
            data.copySample(i, in, 0);
            data.copyPixels(i, px, 0);
            GradCam.Cam cam = GradCam.of(model, Tensor.wrap(in.clone(), s), layer, -1);
            items.add(new Item(GradCam.overlay(Tensor.wrap(px.clone(), s), cam, scale), name(data, cam.label()),
                    name(data, data.label(i))));
        }
        return items;
    }

    private static int[] pick(Dataset data, int count, long seed) {
        int n = Math.min(count, data.size());
        int[] all = new int[data.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        new Rng(seed).shuffle(all);
        return java.util.Arrays.copyOf(all, n);
    }

    /** Up to {@code count} images the model gets wrong, the first in the data's order (none when it never errs). */
    public static List<Item> mistakes(Model model, Dataset data, int count) {
        List<Item> found = new ArrayList<>();
        int batch = 256;
        for (int from = 0; from < data.size() && found.size() < count; from += batch) {
            int[] idx = new int[Math.min(batch, data.size() - from)];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            for (Item it : items(data, idx, classify(model, data, idx))) {
                if (!it.right() && found.size() < count) {
                    found.add(it);
                }
            }
        }
        return found;
    }

    private static int[] classify(Model model, Dataset data, int[] idx) {
        Shape s = data.sampleShape();
        Tensor x = Tensor.zeros(s.withBatch(idx.length));
        for (int i = 0; i < idx.length; i++) {
            data.copySample(idx[i], x.data(), i * s.size());
        }
        return Predictions.of(model, x, 256).labels();
    }

    private static List<Item> items(Dataset data, int[] idx, int[] predicted) {
        Shape s = data.sampleShape();
        if (s.rank() != 3 || (s.dim(0) != 1 && s.dim(0) != 3)) {
            throw new IllegalArgumentException("PredictionGrid: images are " + s + ", expected (1 or 3, H, W)");
        }
        int scale = Draw.scaleFor(Math.max(s.dim(1), s.dim(2)), TILE);
        float[] px = new float[s.size()];
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < idx.length; i++) {
            data.copyPixels(idx[i], px, 0);
            items.add(new Item(Draw.picture(px, s.dim(0), s.dim(1), s.dim(2), scale), name(data, predicted[i]),
                    name(data, data.label(idx[i]))));
        }
        return items;
    }

    private static String name(Dataset data, int label) {
        return label < data.classNames().size() ? data.classNames().get(label) : Integer.toString(label);
    }

    /** The grid, {@code title} on top, eight images a row; titles too wide for one line take two. */
    public static BufferedImage of(String title, List<Item> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("PredictionGrid: no images to draw");
        }
        Font font = Draw.font(12, true);
        int iw = 0;
        int ih = 0;
        double widest = 0;
        for (Item it : items) {
            iw = Math.max(iw, it.image().getWidth());
            ih = Math.max(ih, it.image().getHeight());
            widest = Math.max(widest, Draw.width(caption(it), font));
        }
        int tw = (int) Math.ceil(Math.max(iw, Math.min(widest, MAX_TITLE))) + 12;
        boolean twoLines = widest > tw - 4;
        int titleH = twoLines ? 34 : 20;
        int cols = Math.min(COLUMNS, items.size());
        int rows = (items.size() + cols - 1) / cols;
        long right = items.stream().filter(Item::right).count();
        String tally = right == items.size() ? "all " + right + " right" : right == 0 ? "all " + items.size() + " wrong"
                : right + " of " + items.size() + " right";
        String sub = "predicted (true): blue when right, red when wrong; " + tally;
        int width = (int) Math.ceil(Math.max(2 * Tiles.MARGIN + cols * tw, 2 * Tiles.MARGIN
                + Math.max(Draw.width(title, Draw.font(15, true)), Draw.width(sub, Draw.font(12, false)))));
        Draw.Figure fig = Draw.figure(width, Tiles.HEAD + rows * (titleH + ih + Tiles.GAP) + Tiles.MARGIN);
        BufferedImage img = fig.image();
        Graphics2D g = fig.g();
        g.setColor(Draw.TEXT);
        g.setFont(Draw.font(15, true));
        Draw.text(g, title, Tiles.MARGIN, 24, 0);
        g.setColor(Draw.MUTED);
        g.setFont(Draw.font(12, false));
        Draw.text(g, sub, Tiles.MARGIN, 44, 0);
        g.setFont(font);
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            int x = Tiles.MARGIN + (i % cols) * tw;
            int y = Tiles.HEAD + (i / cols) * (titleH + ih + Tiles.GAP);
            Color c = it.right() ? Draw.RIGHT : Draw.WRONG;
            g.setColor(c);
            double cx = x + tw / 2.0;
            if (Draw.width(g, caption(it)) <= tw - 4) {
                Draw.text(g, caption(it), cx, y + titleH - 6, 0.5);
            } else {
                Draw.text(g, Draw.fit(g, it.predicted(), tw - 4), cx, y + 13, 0.5);
                Draw.text(g, Draw.fit(g, "(" + it.truth() + ")", tw - 4), cx, y + 28, 0.5);
            }
            int ix = x + (tw - it.image().getWidth()) / 2;
            g.drawImage(it.image(), ix, y + titleH, null);
            if (!it.right()) {
                // a red frame makes mistakes findable at a glance
                Draw.frame(g, ix, y + titleH, it.image().getWidth(), it.image().getHeight());
            }
        }
        g.dispose();
        return img;
    }

    private static String caption(Item it) {
        return it.predicted() + " (" + it.truth() + ")";
    }
}
