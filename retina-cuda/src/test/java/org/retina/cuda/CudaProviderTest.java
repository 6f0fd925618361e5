package org.retina.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.retina.device.Devices;
import org.retina.model.Sequential;
import org.retina.nn.Dense;
import org.retina.tensor.Shape;

/** The cuda device is found on the class path, and where it cannot run, says why before any work. */
class CudaProviderTest {

    @Test
    void cudaIsAKnownDevice() {
        assertTrue(Devices.names().contains("cuda"), Devices.names().toString());
        assertEquals("cuda", Devices.check(" CUDA "));
    }

    @Test
    void withoutAGpuOpeningSaysWhatIsMissing() {
        String why = new CudaProvider().unavailableReason();
        assumeTrue(why != null, "a CUDA device is here");
        Sequential model = Sequential.of(Dense.of(2));
        model.build(Shape.of(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Devices.open("cuda", model, null, null, 1));
        assertTrue(e.getMessage().startsWith("device 'cuda' cannot be used: "), e.getMessage());
        assertTrue(e.getMessage().contains("RETINA_CUDA_LIBS") || e.getMessage().contains("no CUDA device"),
                e.getMessage());
    }

    @Test
    void sizeClassesRoundUp() {
        assertEquals(512, DeviceMemory.sizeClass(1));
        assertEquals(1024, DeviceMemory.sizeClass(513));
        assertEquals(2L << 20, DeviceMemory.sizeClass((1 << 20) + 1));
    }
}
