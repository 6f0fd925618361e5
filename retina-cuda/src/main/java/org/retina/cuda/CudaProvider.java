package org.retina.cuda;

import org.retina.device.Accelerator;
import org.retina.device.AcceleratorProvider;
import org.retina.loss.Loss;
import org.retina.model.Model;
import org.retina.optim.Optimizer;

/**
 * The {@code cuda} device: NVIDIA GPUs through cuDNN, cuBLAS and NVRTC. Convolutions may use TF32 tensor cores
 * as PyTorch's default allows them; {@code RETINA_TF32=0} (or {@code -Dretina.tf32=false}) keeps them FP32.
 */
public final class CudaProvider implements AcceleratorProvider {

    /** Made by {@link java.util.ServiceLoader}; creating it touches no GPU library. */
    public CudaProvider() {
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String unavailableReason() {
        try {
            Cuda cuda = Cuda.get();
            if (cuda.deviceCount() == 0) {
                return "no CUDA device is visible (nvidia-smi lists the GPUs; CUDA_VISIBLE_DEVICES may hide them)";
            }
            CuDnn.get();
            CuBlas.get();
            return null;
        } catch (CudaException | UnsatisfiedLinkError e) {
            return e.getMessage();
        }
    }

    /** Whether convolutions may use TF32: {@code retina.tf32}, else {@code RETINA_TF32}, else yes. */
    public static boolean tf32() {
        String v = System.getProperty("retina.tf32", System.getenv("RETINA_TF32"));
        return v == null || !(v.equals("0") || v.equalsIgnoreCase("false"));
    }

    @Override
    public Accelerator open(Model model, Loss loss, Optimizer optimizer, long seed, double clipNorm) {
        return new CudaEngine(model, loss, optimizer, seed, tf32(), false).withClipNorm(clipNorm);
    }
}
