/**
 * The {@code cuda} device: NVIDIA GPUs through cuDNN, cuBLAS and Retina's own kernels compiled by
 * NVRTC, bound with {@code java.lang.foreign}; a model compiled for a GPU keeps its weights, gradients, optimizer
 * state and activations in device memory. It is found through {@link org.retina.cuda.CudaProvider}.
 */
package org.retina.cuda;
