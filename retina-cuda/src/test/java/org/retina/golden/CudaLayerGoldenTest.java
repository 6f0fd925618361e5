package org.retina.golden;

import org.retina.cuda.CudaLayerRunner;
import org.retina.testing.LayerRunner;

/** {@link LayerGoldenTest}'s cases on the GPU, against the same PyTorch references and tolerances. */
class CudaLayerGoldenTest extends LayerGoldenTest {
    @Override
    LayerRunner runner() {
        return CudaLayerRunner.INSTANCE;
    }
}
