/**
 * Training objectives over a batch of model outputs and integer labels: softmax cross-entropy (with
 * optional label smoothing) and mean squared error, each mean-reduced and returning the gradient of the outputs.
 */
package org.retina.loss;
