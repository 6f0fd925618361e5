package org.retina.zoo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retina.model.Summary;

/** The summaries of the texts' networks show the texts' counts, and where memory and parameters lie. */
class ZooSummaryTest {

    /** The table row of {@code node}: the line that starts with {@code "node (Type)"}. */
    private static String row(String text, String node) {
        return Arrays.stream(text.split("\n")).filter(l -> l.startsWith(node + " (")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + node + " in\n" + text));
    }

    private static void assertCell(String text, String node, String cell) {
        String row = row(text, node);
        assertTrue((" " + row + " ").contains(" " + cell + " "), node + " should show " + cell + ": " + row);
    }

    @Test
    void alexNetShowsTheTableRowByRow() {
        Summary s = Zoo.create("alexnet", 1000).summary();
        String text = s.format(32);
        Map<String, String> table = new LinkedHashMap<>();
        table.put("features.0", "34,944");       // Conv-1
        table.put("features.3", "614,656");      // Conv-2
        table.put("features.6", "885,120");      // Conv-3
        table.put("features.8", "1,327,488");    // Conv-4
        table.put("features.10", "884,992");     // Conv-5
        table.put("classifier.1", "37,752,832"); // FC-1
        table.put("classifier.4", "16,781,312"); // FC-2
        table.put("classifier.6", "4,097,000");  // FC-3
        table.forEach((node, count) -> assertCell(text, node, count));
        assertTrue(text.contains("Total params: 62,378,344"), text);
        assertCell(text, "features.10", "(N, 256, 13, 13)");
        assertCell(text, "features.12", "(N, 256, 6, 6)");
        // per-layer MACs and activation memory: Conv-1 has 55*55*96 outputs of 11*11*3 products each
        assertCell(text, "features.0", Summary.count(55L * 55 * 96 * 11 * 11 * 3));
        assertCell(text, "features.0", Summary.bytes(4L * 96 * 55 * 55));
        assertCell(text, "classifier.1", Summary.count(9216L * 4096));
        assertTrue(text.contains("Estimated training memory at batch 32 (Adam): "
                + Summary.bytes(s.trainingBytes(32, 2))), text);
    }

    @Test
    void alexNetSummaryShowsWhereMemoryAndParametersLie() {
        String text = Zoo.create("alexnet", 1000).summary().format(0);
        // cs231n: most of the memory is used in the early CONV layers, most parameters are in the last FC layers
        assertTrue(text.contains("Most parameters: classifier.1 60.5%, classifier.4 26.9%, classifier.6 6.6%"), text);
        assertTrue(text.contains("Most activation memory: features.0 18.0%, features.1 18.0%, features.3 11.5%"),
                text);
        assertFalse(text.contains("Estimated training memory"), "batch 0 leaves the estimate out");
    }

    @Test
    void cifarNetShowsTheKerasSummaryCounts() {
        String text = Zoo.create("cifar-cnn", 10).summary().format(32);
        assertCell(text, "conv1", "208");
        assertCell(text, "conv2", "2,080");
        assertCell(text, "conv3", "8,256");
        assertCell(text, "fc1", "512,500");
        assertCell(text, "fc2", "5,010");
        assertTrue(text.contains("Total params: 528,054"), text);
        assertCell(text, "conv1", "(N, 16, 32, 32)");
        assertCell(text, "pool3", "(N, 64, 4, 4)");
        assertCell(text, "flatten", "(N, 1024)");
    }
}
