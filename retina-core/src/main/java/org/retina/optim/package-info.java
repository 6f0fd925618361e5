/**
 * Optimizers with PyTorch's update rules (SGD, Adam and AdamW, RMSprop), their configs, learning-rate
 * schedules and gradient clipping; optimizer state is kept per parameter path so that checkpoints can restore it.
 */
package org.retina.optim;
