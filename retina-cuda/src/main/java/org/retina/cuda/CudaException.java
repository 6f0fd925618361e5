package org.retina.cuda;

/** A CUDA, cuBLAS, cuDNN or NVRTC call that failed, naming the call and the library's own error text. */
public final class CudaException extends RuntimeException {
    /** An error whose message names the failed call and the library's error text. */
    public CudaException(String message) {
        super(message);
    }
}
