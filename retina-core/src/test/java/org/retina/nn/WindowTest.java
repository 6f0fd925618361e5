package org.retina.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one window declaration: its model-file keys, its printed form, and the settings a layer refuses. */
class WindowTest {

    @Test
    void writesAndReadsItsOwnKeys() {
        Window.Spec w = Window.Spec.of(3, 2, 2, 1).withPadding(Padding.of(1, 0)).withDilation(2, 1)
                .withFit(Fit.FLOOR);
        Map<String, Object> m = Configs.map();
        w.write(m);
        assertEquals(Map.of("kernelSize", java.util.List.of(3, 2), "stride", java.util.List.of(2, 1), "padding",
                Padding.of(1, 0).toConfig(), "dilation", java.util.List.of(2, 1), "fit", "floor"), m);
        assertEquals(w, Window.Spec.read(Configs.read("T", m), false));
        // an absent stride: 1 for a convolution, the kernel for a pooling, as in PyTorch
        assertEquals(Window.Spec.of(3, 3, 1, 1), Window.Spec.read(Configs.read("T", Map.of("kernelSize", 3)), false));
        assertEquals(Window.Spec.of(3, 3, 3, 3), Window.Spec.read(Configs.read("T", Map.of("kernelSize", 3)), true));
    }

    @Test
    void printsWhatDiffersFromTheDefaults() {
        assertEquals("Conv2d(8, kernel=3, stride=2, padding=1, dilation=2, fit=floor)",
                Conv2d.of(8, 3).withStride(2).withPadding(1).withDilation(2).withFit(Fit.FLOOR).toString());
        assertEquals("MaxPool2d(kernel=2)", MaxPool2d.of(2).toString());
        assertEquals("MaxPool2d(kernel=3, stride=2, padding=1)", MaxPool2d.of(3).withStride(2).withPadding(1).toString());
        assertEquals("AvgPool2d(kernel=2, stride=1, fit=ceil, countIncludePad=false)",
                AvgPool2d.of(2).withStride(1).withCountIncludePad(false).withFit(Fit.CEIL).toString());
    }

    @Test
    void aWindowThatCannotPadOrDilateSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LpPool2d.of(2).withPadding(1));
        assertEquals("LpPool2d: padding 1, expected none (LpPool2d has no padding, as in PyTorch)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GaussianPool2d.of(3).withDilation(2));
        assertEquals("GaussianPool2d: dilation 2, expected 1 (GaussianPool2d has no dilation)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LocallyConnected2d.of(2, 3).withDilation(1, 2));
        assertEquals("LocallyConnected2d: dilation 1x2, expected 1 (LocallyConnected2d has no dilation)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LpPool2d.fromConfig(Map.of("kernelSize", 2,
                "dilation", 2)));
        assertEquals("LpPool2d: dilation 2, expected 1 (LpPool2d has no dilation)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv2d.of(2, 3).withStride(0));
        assertEquals("Conv2d: stride height is 0, expected >= 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MaxPool2d.of(2).withPadding(2));
        assertEquals("MaxPool2d: padding 2 is more than half the kernel 2 (at most 1, as in PyTorch)",
                e.getMessage());
    }
}
