package org.retina.kernel;

/** Where kernels run: the pure-Java {@link CpuBackend} today, the seam for a GPU backend. */
public interface Backend {
    /** Worker threads the backend uses. */
    int threads();
}
