/**
 * Pictures and the report page of a training run: training curves, the confusion matrix, prediction
 * grids, filters and feature maps as PNG, and one self-contained HTML page that loads nothing from anywhere.
 */
package org.retina.viz;
