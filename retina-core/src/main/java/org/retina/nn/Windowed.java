package org.retina.nn;

import org.retina.kernel.ConvGeometry;

/**
 * A layer that slides a window over its input ({@link Window.Spec}): the withers of the window's settings, and the
 * counts a summary reads from its built geometry, written once for every such layer. A layer whose window cannot
 * pad or dilate refuses those settings when its config is made, naming them.
 *
 * @param <L> the layer's own type, which the withers return
 */
public interface Windowed<L extends Windowed<L>> extends Layer {

    /** What a windowed layer's config holds: its window, among its own settings. */
    interface Settings {
        /** The window. */
        Window.Spec window();
    }

    /** The settings this layer was made with. */
    Settings settings();

    /** The window this layer was made with. */
    default Window.Spec window() {
        return settings().window();
    }

    /** This layer with another window and its other settings kept. */
    L withWindow(Window.Spec window);

    /** The resolved geometry, after build; null before. */
    ConvGeometry geometry();

    /** With stride {@code s} along both height and width. */
    default L withStride(int s) {
        return withStride(s, s);
    }

    /** With stride {@code h} along the height and {@code w} along the width. */
    default L withStride(int h, int w) {
        return withWindow(window().withStride(h, w));
    }

    /**
     * With {@code p} padding pixels on every side: zeros for a convolution, -inf for max pooling; average pooling
     * counts them or not ({@link AvgPool2d#withCountIncludePad}).
     */
    default L withPadding(int p) {
        return withPadding(Padding.of(p));
    }

    /** With {@code h} padding rows at top and bottom and {@code w} padding columns at left and right. */
    default L withPadding(int h, int w) {
        return withPadding(Padding.of(h, w));
    }

    /** With the given padding, explicit or {@link Padding#SAME}. */
    default L withPadding(Padding p) {
        return withWindow(window().withPadding(p));
    }

    /** With dilation {@code d} along both axes: window taps {@code d} pixels apart. */
    default L withDilation(int d) {
        return withDilation(d, d);
    }

    /** With dilation {@code h} along the height and {@code w} along the width. */
    default L withDilation(int h, int w) {
        return withWindow(window().withDilation(h, w));
    }

    /**
     * With another rule for windows that do not tile the input ({@link Fit}); {@link Fit#CEIL}, PyTorch's
     * {@code ceil_mode}, is for pooling only.
     */
    default L withFit(Fit f) {
        return withWindow(window().withFit(f));
    }

    /** Products (or, for pooling, window elements read) per sample, from the built geometry; 0 before build. */
    @Override
    default long macs() {
        return geometry() == null ? 0 : geometry().macs();
    }

    @Override
    default int droppedInputPixels() {
        return geometry() == null ? 0 : Window.droppedPixels(geometry());
    }
}
