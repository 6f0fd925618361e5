package org.retina.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.retina.testing.LayerCases;
import org.retina.testing.MergeCases;

/** The registry against the case tables: every registered type is exercised by the contract tests. */
class LayerRegistryTest {

    @Test
    void everyRegisteredTypeHasAContractCase() {
        Set<String> covered = new TreeSet<>();
        LayerCases.all().forEach(c -> covered.add(c.layer().get().type()));
        MergeCases.all().forEach(c -> covered.add(c.merge().get().type()));
        Set<String> missing = new TreeSet<>(LayerRegistry.types());
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "registered types without a row in LayerCases or MergeCases: " + missing);
        Set<String> unregistered = new TreeSet<>(covered);
        unregistered.removeAll(LayerRegistry.types());
        assertTrue(unregistered.isEmpty(), "case types missing from the registry: " + unregistered);
    }

    @Test
    void anUnknownTypeIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerRegistry.create("Linear", Map.of()));
        assertTrue(e.getMessage().startsWith("layer type 'Linear' is unknown; known types: Conv2d, "), e.getMessage());
        assertEquals("Dense", LayerRegistry.create("Dense", Map.of("outFeatures", 3)).type());
    }
}
