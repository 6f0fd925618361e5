/**
 * Models: a {@link org.retina.model.Sequential} stack or a {@link org.retina.model.Graph} of named
 * components, built once for an input shape and run forward and backward on batches, with a Keras-like
 * {@link org.retina.model.Summary} and the fusion of convolution blocks into single steps.
 */
package org.retina.model;
