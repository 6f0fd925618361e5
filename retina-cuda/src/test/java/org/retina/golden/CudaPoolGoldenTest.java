package org.retina.golden;

import org.retina.cuda.CudaLayerRunner;
import org.retina.testing.LayerRunner;

/** {@link PoolGoldenTest}'s cases on the GPU, against the same PyTorch references and tolerances. */
class CudaPoolGoldenTest extends PoolGoldenTest {
    @Override
    LayerRunner runner() {
        return CudaLayerRunner.INSTANCE;
    }
}
