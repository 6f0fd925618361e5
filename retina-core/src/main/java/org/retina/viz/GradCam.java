package org.retina.viz;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.retina.model.Model;
import org.retina.nn.AvgPool2d;
import org.retina.nn.BatchNorm1d;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Dropout;
import org.retina.nn.GaussianPool2d;
import org.retina.nn.Layer;
import org.retina.nn.LogSoftmax;
import org.retina.nn.LpPool2d;
import org.retina.nn.MaxPool2d;
import org.retina.nn.Mode;
import org.retina.nn.Softmax;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Where the network looks: Grad-CAM (Selvaraju et al., 2017). The gradient of a class's score with respect to
 * a late feature map, averaged over each channel, weighs the channels; the weighted sum, rectified and scaled up to
 * the input's size, is bright where the evidence for the class lies. The score is the logit (before a final
 * softmax). The layers after the chosen one run forward and backward once; that works where they form a chain
 * without batch norm (dropout is skipped, as in evaluation), which the classifier heads of CNNs are. Not
 * thread-safe: it uses the head layers' training caches, and clears the model's parameter gradients.
 */
public final class GradCam {
    private GradCam() {
    }

    /**
     * The map of one image: the class it explains, the layer it was read at, the network's probability-free score
     * for the class, and {@code values} in [0, 1], {@code height x width} as the input, with its brightest point.
     */
    public record Cam(int label, String layer, double score, float[] values, int height, int width, int peakX,
                      int peakY) {
    }

    /**
     * The layer Grad-CAM reads by default: the last node with a spatial output (more than one position) that is
     * not a pooling layer and after which the nodes form a chain without batch norm; for a plain CNN, the last
     * convolution's activation.
     */
    public static String defaultLayer(Model model) {
        List<Model.Node> nodes = model.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Model.Node n = nodes.get(i);
            Shape s = model.shapeOf(n.name());
            boolean spatial = s.rank() == 3 && s.dim(1) * s.dim(2) > 1;
            boolean pool = n.component() instanceof MaxPool2d || n.component() instanceof AvgPool2d
                    || n.component() instanceof LpPool2d || n.component() instanceof GaussianPool2d;
            if (spatial && !pool && head(model, n.name(), false) != null) {
                return n.name();
            }
        }
        throw new IllegalArgumentException("Grad-CAM: no layer of this model has a spatial output followed by a"
                + " chain of layers without batch norm; name one (its nodes: " + model.names() + ")");
    }

    /** The layers after {@code layer} to the output, or null (or an error when {@code explain}) if they do not chain. */
    private static List<Layer> head(Model model, String layer, boolean explain) {
        List<Model.Node> nodes = model.nodes();
        int at = -1;
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).name().equals(layer)) {
                at = i;
            }
        }
        if (at < 0) {
            throw new IllegalArgumentException("Grad-CAM: no node named '" + layer + "'; the nodes are "
                    + model.names());
        }
        List<Layer> head = new ArrayList<>();
        String previous = layer;
        for (int i = at + 1; i < nodes.size(); i++) {
            Model.Node n = nodes.get(i);
            String why = null;
            if (!(n.component() instanceof Layer l)) {
                why = "merges several inputs";
            } else if (!n.inputs().equals(List.of(previous))) {
                why = "does not read '" + previous + "' alone";
            } else if ((l instanceof BatchNorm2d || l instanceof BatchNorm1d) && l.parameters().isEmpty()) {
                why = "is a batch norm without weight and bias, which cannot run frozen";
            } else {
                head.add(l);
            }
            if (why != null) {
                if (explain) {
                    throw new IllegalArgumentException("Grad-CAM at '" + layer + "': node '" + n.name() + "' after it "
                            + why + "; choose a later layer (the default is " + defaultLayer(model) + ")");
                }
                return null;
            }
            previous = n.name();
        }
        return head;
    }

    /**
     * The map of {@code image} ({@code (C, H, W)} or a batch of one) for class {@code label} (-1: the class the
     * model predicts), read at {@code layer} (null: {@link #defaultLayer}).
     */
    public static Cam of(Model model, Tensor image, String layer, int label) {
        Shape in = model.inputShape();
        Tensor x = image.rank() == in.rank() ? image.reshape(in.withBatch(1)) : image;
        if (!x.shape().equals(in.withBatch(1))) {
            throw new IllegalArgumentException("Grad-CAM: image " + image.shape() + ", expected " + in + " (one image"
                    + " the model's input size)");
        }
        if (in.rank() != 3) {
            throw new IllegalArgumentException("Grad-CAM needs images (C, H, W); the model reads " + in);
        }
        String at = layer != null ? layer : defaultLayer(model);
        List<Layer> head = head(model, at, true);
        Shape fs = model.shapeOf(at);
        if (fs.rank() != 3) {
            throw new IllegalArgumentException("Grad-CAM: the output of '" + at + "' is " + fs + ", not a feature"
                    + " map (C, H, W)");
        }
        Map<String, Tensor> outs = model.outputs(x, at);
        Tensor a = outs.get(at).copy();
        // the head runs in training mode (its layers keep what backward needs); batch norm runs frozen there, so
        // it normalizes with its running statistics as evaluation does and leaves them alone
        List<org.retina.tensor.Parameter> thawed = new ArrayList<>();
        for (Layer l : head) {
            if (l instanceof BatchNorm2d || l instanceof BatchNorm1d) {
                for (org.retina.tensor.Parameter p : l.parameters()) {
                    if (p.trainable()) {
                        p.setTrainable(false);
                        thawed.add(p);
                    }
                }
            }
        }
        try {
            return cam(model, at, fs, head, a, label);
        } finally {
            thawed.forEach(p -> p.setTrainable(true));
        }
    }

    /** Runs the head from the feature map {@code a} at {@code at}, backpropagates the class score, makes the map. */
    private static Cam cam(Model model, String at, Shape fs, List<Layer> head, Tensor a, int label) {
        Tensor y = a;
        List<Layer> ran = new ArrayList<>();
        for (Layer l : head) {
            if (l instanceof Dropout) {
                continue; // the identity in evaluation
            }
            if ((l instanceof Softmax || l instanceof LogSoftmax) && l == head.getLast()) {
                break; // the score is the logit
            }
            y = l.forward(y, Mode.TRAIN);
            ran.add(l);
        }
        int classes = y.size();
        int cls = label;
        if (cls < 0) {
            cls = 0;
            for (int k = 1; k < classes; k++) {
                if (y.data()[k] > y.data()[cls]) {
                    cls = k;
                }
            }
        } else if (cls >= classes) {
            throw new IllegalArgumentException("Grad-CAM: class " + label + ", expected 0 to " + (classes - 1));
        }
        double score = y.data()[cls];
        Tensor g = Tensor.zeros(y.shape());
        g.data()[cls] = 1;
        for (int i = ran.size() - 1; i >= 0; i--) {
            g = ran.get(i).backward(g);
        }
        model.zeroGrad();
        int c = fs.dim(0);
        int fh = fs.dim(1);
        int fw = fs.dim(2);
        int plane = fh * fw;
        float[] map = new float[plane];
        for (int ch = 0; ch < c; ch++) {
            double w = 0;
            for (int p = 0; p < plane; p++) {
                w += g.data()[ch * plane + p];
            }
            w /= plane;
            for (int p = 0; p < plane; p++) {
                map[p] += (float) (w * a.data()[ch * plane + p]);
            }
        }
        int h = model.inputShape().dim(1);
        int w = model.inputShape().dim(2);
        float[] up = upsample(map, fh, fw, h, w);
        float max = 0;
        int peak = 0;
        for (int p = 0; p < up.length; p++) {
            up[p] = Math.max(0, up[p]);
            if (up[p] > max) {
                max = up[p];
                peak = p;
            }
        }
        if (max > 0) {
            for (int p = 0; p < up.length; p++) {
                up[p] /= max;
            }
        }
        return new Cam(cls, at, score, up, h, w, peak % w, peak / w);
    }

    /** Bilinear resampling of an {@code fh x fw} map to {@code h x w}, aligned on the pixel centres. */
    static float[] upsample(float[] m, int fh, int fw, int h, int w) {
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            double sy = Math.clamp((y + 0.5) * fh / h - 0.5, 0, fh - 1);
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(y0 + 1, fh - 1);
            double fy = sy - y0;
            for (int x = 0; x < w; x++) {
                double sx = Math.clamp((x + 0.5) * fw / w - 0.5, 0, fw - 1);
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(x0 + 1, fw - 1);
                double fx = sx - x0;
                double top = m[y0 * fw + x0] * (1 - fx) + m[y0 * fw + x1] * fx;
                double bottom = m[y1 * fw + x0] * (1 - fx) + m[y1 * fw + x1] * fx;
                out[y * w + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }

    /**
     * A figure for one image: the image and its map side by side, titled with the class explained and the layer;
     * {@code classNames} may be empty (numbers are shown).
     */
    public static BufferedImage figure(Tensor image, Cam cam, List<String> classNames) {
        Shape s = image.rank() == 4 ? image.shape().dropFirst() : image.shape();
        int scale = Draw.scaleFor(Math.max(s.dim(1), s.dim(2)), 224);
        String name = cam.label() < classNames.size() ? classNames.get(cam.label()) : Integer.toString(cam.label());
        BufferedImage plain = Draw.stretched(image.data(), 0, s.dim(0), s.dim(1), s.dim(2), scale);
        return Tiles.grid("Grad-CAM: where the network sees " + name, "at layer " + cam.layer() + "; bright where"
                + " the evidence for the class lies (dark violet: none)", plain, "image",
                List.of(overlay(image, cam, scale)), List.of("map of " + name));
    }

    /**
     * The image with the map over it: the picture in grey (or colour) with the map's viridis colours blended in,
     * more strongly where the map is bright; {@code scale} pixels per input pixel.
     */
    public static BufferedImage overlay(Tensor image, Cam cam, int scale) {
        Shape s = image.rank() == 4 ? image.shape().dropFirst() : image.shape();
        int ch = s.dim(0);
        int h = s.dim(1);
        int w = s.dim(2);
        float[] px = Draw.unit(image.data(), 0, ch * h * w);
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                int p = (y / scale) * w + x / scale;
                double r;
                double gr;
                double b;
                if (ch == 3) {
                    r = px[p];
                    gr = px[h * w + p];
                    b = px[2 * h * w + p];
                } else {
                    r = gr = b = px[p];
                }
                float v = cam.values()[p];
                int heat = Draw.viridis(v);
                double alpha = 0.15 + 0.6 * v;
                int rr = (int) Math.round(255 * ((1 - alpha) * r) + alpha * (heat >> 16 & 0xFF));
                int gg = (int) Math.round(255 * ((1 - alpha) * gr) + alpha * (heat >> 8 & 0xFF));
                int bb = (int) Math.round(255 * ((1 - alpha) * b) + alpha * (heat & 0xFF));
                img.setRGB(x, y, Math.clamp(rr, 0, 255) << 16 | Math.clamp(gg, 0, 255) << 8 | Math.clamp(bb, 0, 255));
            }
        }
        return img;
    }
}
