package org.retina.onnx;

import java.util.Map;
import org.retina.model.Model;

/**
 * An imported ONNX model: the built Retina graph with the file's weights, and what the file said about itself.
 *
 * @param model    the graph, built for the file's per-sample input shape
 * @param opset    the default-domain opset the file uses
 * @param producer the producing tool and version, as the file names them
 * @param metadata the file's metadata properties (a Retina export keeps class names and normalization there)
 */
public record Imported(Model model, int opset, String producer, Map<String, String> metadata) {
}
