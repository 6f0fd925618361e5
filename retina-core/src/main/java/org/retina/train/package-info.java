/**
 * Training and evaluation: the {@link org.retina.train.Trainer} epoch loop with its callbacks
 * (progress bar, metrics log, checkpoints, early stopping), resuming from a checkpoint, fine-tuning, memory checks
 * and the figures of a run.
 */
package org.retina.train;
