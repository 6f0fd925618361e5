package org.retina.golden;

import org.retina.cuda.CudaLayerRunner;
import org.retina.testing.LayerRunner;

/** {@link ConvGoldenTest}'s cases on the GPU, against the same PyTorch references and tolerances. */
class CudaConvGoldenTest extends ConvGoldenTest {
    @Override
    LayerRunner runner() {
        return CudaLayerRunner.INSTANCE;
    }
}
