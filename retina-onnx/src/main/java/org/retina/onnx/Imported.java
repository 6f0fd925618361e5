package org.retina.onnx;

import java.util.Map;
import org.retina.io.Json;
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

    /** The metadata a Retina model file had when it was exported (class names, dataset), or an empty map. */
    public Map<String, Object> retinaMetadata() {
        String json = metadata.get(Onnx.RETINA_METADATA);
        if (json == null) {
            return Map.of();
        }
        try {
            return Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw new OnnxException("ONNX metadata '" + Onnx.RETINA_METADATA + "' is not a JSON object: "
                    + e.getMessage());
        }
    }
}
