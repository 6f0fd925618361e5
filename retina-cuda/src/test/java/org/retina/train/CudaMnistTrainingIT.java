package org.retina.train;

import org.junit.jupiter.api.BeforeEach;
import org.retina.cuda.CudaLayerRunner;

/** {@link MnistTrainingIT} on the GPU: the whole training step there, the same network, data and 95% floor. */
class CudaMnistTrainingIT extends MnistTrainingIT {

    @BeforeEach
    void device() {
        CudaLayerRunner.assumeDevice();
    }

    @Override
    Trainer.Options options() {
        return super.options().withDevice("cuda");
    }
}
