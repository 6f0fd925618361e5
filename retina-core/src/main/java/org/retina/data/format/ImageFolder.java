package org.retina.data.format;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.retina.data.ByteDataset;
import org.retina.tensor.Shape;

/**
 * A folder with one sub-folder per class (sorted names are class indices 0, 1, ...), holding PNG, JPEG or BMP
 * images, read with ImageIO into RGB (3 channels) or grayscale (1 channel) and resized to {@code height x width}.
 * Resizing is bilinear (Java2D {@code VALUE_INTERPOLATION_BILINEAR}); a shrink by more than 2x first halves the
 * image step by step, which approximates area averaging instead of skipping pixels. Grayscale is the ITU-R 601
 * luma {@code (299 R + 587 G + 114 B) / 1000}, as PIL's {@code convert("L")}; alpha is dropped, as PIL's
 * {@code convert("RGB")}. Hidden files and files without an image extension are skipped, as torchvision does.
 */
public final class ImageFolder {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp");

    private ImageFolder() {
    }

    /** How to read the images: their size after resizing and their channels. */
    public record Options(int height, int width, boolean grayscale) {
        /** Checks that both sizes are at least 1. */
        public Options {
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException("ImageFolder: size " + height + "x" + width
                        + ", expected both >= 1");
            }
        }

        /** RGB images resized to {@code height x width}. */
        public static Options rgb(int height, int width) {
            return new Options(height, width, false);
        }

        /** Grayscale images resized to {@code height x width}. */
        public static Options gray(int height, int width) {
            return new Options(height, width, true);
        }

        /** The channels of each sample: 1 for grayscale, 3 for RGB. */
        public int channels() {
            return grayscale ? 1 : 3;
        }
    }

    /** Reads every image under {@code root}, class by class, files in sorted order. */
    public static ByteDataset load(Path root, Options options) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "not a folder; expected one sub-folder per class");
        }
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : sorted(root)) {
            if (!Files.isDirectory(dir) || hidden(dir)) {
                continue;
            }
            List<Path> images = sorted(dir).stream().filter(ImageFolder::isImage).toList();
            if (images.isEmpty()) {
                throw new IOException(dir + ": class folder without images; expected files ending in "
                        + String.join(", ", EXTENSIONS));
            }
            for (Path f : images) {
                files.add(f);
                labels.add(classes.size());
            }
            classes.add(dir.getFileName().toString());
        }
        if (classes.isEmpty()) {
            throw new IOException(root + ": no class sub-folders; expected " + root
                    + "/<class>/<image>.png (or .jpg, .bmp)");
        }
        int per = options.channels() * options.height() * options.width();
        if ((long) per * files.size() > Integer.MAX_VALUE - 8) {
            throw new IOException(root + ": " + files.size() + " images of " + per + " bytes are more than one"
                    + " Java array holds; use a smaller size");
        }
        byte[] pixels = new byte[per * files.size()];
        for (int i = 0; i < files.size(); i++) {
            readInto(files.get(i), options, pixels, i * per);
        }
        return new ByteDataset(root.toString(), Shape.of(options.channels(), options.height(), options.width()),
                pixels, labels.stream().mapToInt(Integer::intValue).toArray(), classes);
    }

    /** An image file's size and whether it is grey (one colour component) rather than colour. */
    public record Info(int width, int height, boolean grayscale) {
        /** {@code 28x28 grey} or {@code 64x48 colour}. */
        @Override
        public String toString() {
            return width + "x" + height + (grayscale ? " grey" : " colour");
        }
    }

    /** The decoded image, or an error naming the file and why it cannot be read. */
    private static BufferedImage readable(Path file) throws IOException {
        return readable(file.toString(), file.toFile());
    }

    /** {@code source} (a file, or the bytes of an encoded image) decoded, or an error naming {@code name}. */
    private static BufferedImage readable(String name, Object source) throws IOException {
        BufferedImage image;
        try {
            image = decode(source);
        } catch (IOException | RuntimeException e) {
            throw new IOException(name + ": cannot read the image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IOException(name + ": not a readable image; expected PNG, JPEG or BMP");
        }
        return image;
    }

    /** Reads an image file's size and colour model, with the same checks as {@link #readInto}. */
    public static Info info(Path file) throws IOException {
        return info(readable(file));
    }

    private static Info info(BufferedImage image) {
        return new Info(image.getWidth(), image.getHeight(), image.getColorModel().getNumColorComponents() == 1);
    }

    /** Reads one image file as {@code (C, H, W)} bytes into {@code dst[off ..]}, resized and converted to fit. */
    public static void readInto(Path file, Options options, byte[] dst, int off) throws IOException {
        pixels(readable(file), options, dst, off);
    }

    /**
     * {@link #readInto(Path, Options, byte[], int)} for the bytes of an encoded image; {@code name} for errors.
     * Returns the size and colour model the image had before it was fitted, from the one decoding.
     */
    public static Info readInto(String name, byte[] encoded, Options options, byte[] dst, int off)
            throws IOException {
        BufferedImage image = readable(name, new java.io.ByteArrayInputStream(encoded));
        pixels(image, options, dst, off);
        return info(image);
    }

    private static void pixels(BufferedImage image, Options options, byte[] dst, int off) {
        BufferedImage rgb = resize(toRgb(image), options.width(), options.height());
        int h = options.height();
        int w = options.width();
        int[] argb = rgb.getRGB(0, 0, w, h, null, 0, w);
        int plane = h * w;
        for (int k = 0; k < plane; k++) {
            int r = argb[k] >> 16 & 0xFF;
            int g = argb[k] >> 8 & 0xFF;
            int b = argb[k] & 0xFF;
            if (options.grayscale()) {
                dst[off + k] = (byte) ((r * 299 + g * 587 + b * 114) / 1000);
            } else {
                dst[off + k] = (byte) r;
                dst[off + plane + k] = (byte) g;
                dst[off + 2 * plane + k] = (byte) b;
            }
        }
    }

    /** The most pixels an image may claim: a 16k x 16k photo; beyond it a header is hostile or a mistake. */
    static final long MAX_PIXELS = 1L << 28;

    /** Decodes after checking the header's size, so a file claiming billions of pixels is refused, not allocated. */
    private static BufferedImage decode(Object source) throws IOException {
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(source)) {
            if (in == null) {
                throw new IOException("cannot open the file");
            }
            java.util.Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || w * h > MAX_PIXELS) {
                    throw new IOException("the header claims " + w + "x" + h + " pixels, expected a positive size of"
                            + " at most " + MAX_PIXELS + " pixels");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        }
    }

    /** The image as opaque 8-bit RGB; gray images keep their stored values (no gamma conversion). */
    static BufferedImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        boolean gray = (bands == 1 || bands == 2) && !(image.getColorModel() instanceof IndexColorModel);
        int[] row = new int[w];
        if (gray) {
            // ColorModel.getRGB treats gray as linear and brightens it; the stored samples are what files mean
            int bits = raster.getSampleModel().getSampleSize(0);
            int[] s = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, s);
                for (int x = 0; x < w; x++) {
                    int v = bits == 8 ? s[x] : (int) Math.round(s[x] * 255.0 / ((1L << bits) - 1));
                    row[x] = v << 16 | v << 8 | v;
                }
                out.setRGB(0, y, w, 1, row, 0, w);
            }
            return out;
        }
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                row[x] &= 0xFFFFFF;
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /** Bilinear resize; shrinks by more than 2x go in halving steps. */
    static BufferedImage resize(BufferedImage image, int width, int height) {
        BufferedImage cur = image;
        while (cur.getWidth() != width || cur.getHeight() != height) {
            int w = cur.getWidth() > 2 * width ? (cur.getWidth() + 1) / 2 : width;
            int h = cur.getHeight() > 2 * height ? (cur.getHeight() + 1) / 2 : height;
            BufferedImage next = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.drawImage(cur, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
            cur = next;
        }
        return cur;
    }

    private static List<Path> sorted(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && !hidden(p) && EXTENSIONS.stream().anyMatch(name::endsWith);
    }
}
