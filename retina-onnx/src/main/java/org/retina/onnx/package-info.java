/** ONNX import and export: ONNX files become Retina graphs, and Retina models become ONNX files. */
package org.retina.onnx;
