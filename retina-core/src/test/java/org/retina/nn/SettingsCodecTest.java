package org.retina.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retina.kernel.LayoutKernels.PadMode;

/**
 * The one codec of layer settings: a record's components are the config keys, written whole, read back with the
 * defaults for absent keys, printed with only the non-defaults, and set one at a time by the withers.
 */
class SettingsCodecTest {

    /** A settings record with every kind of value the codec writes. */
    record Sample(int count, double rate, boolean on, String label, WeightInit init, int[] sizes, List<Integer> axes) {
    }

    private static final Sample DEFAULTS = new Sample(1, 0.5, true, "a", WeightInit.DEFAULT, new int[] {2},
            List.of(0));
    private static final SettingsCodec<Sample> CODEC = SettingsCodec.of("Sample", DEFAULTS).required("count")
            .positional("count");

    @Test
    void writesEveryComponentDefaultsIncluded() {
        Map<String, Object> m = CODEC.write(DEFAULTS);
        assertEquals(List.of("count", "rate", "on", "label", "init", "sizes", "axes"), List.copyOf(m.keySet()));
        assertEquals(Map.of("count", 1, "rate", 0.5, "on", true, "label", "a", "init", "default", "sizes", List.of(2),
                "axes", List.of(0)), m);
    }

    @Test
    void readsBackWhatItWrote() {
        Sample s = new Sample(7, 0.25, false, "b", WeightInit.KAIMING_NORMAL, new int[] {3, 4}, List.of(1, 2));
        Map<String, Object> m = CODEC.write(s);
        assertEquals("kaiming-normal", m.get("init"));
        Sample back = CODEC.read(m);
        assertEquals(List.of(7, 0.25, false, "b", WeightInit.KAIMING_NORMAL, List.of(1, 2)),
                List.of(back.count(), back.rate(), back.on(), back.label(), back.init(), back.axes()));
        assertEquals(List.of(3, 4), Configs.list(back.sizes()));
    }

    @Test
    void absentKeysAreTheDefaultsAndARequiredOneIsAnError() {
        Sample s = CODEC.read(Map.of("count", 3));
        assertEquals(0.5, s.rate());
        assertEquals(WeightInit.DEFAULT, s.init());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CODEC.read(Map.of()));
        assertEquals("Sample config: 'count' is missing", e.getMessage());
        // a required boolean is missing too, not false
        SettingsCodec<Sample> needsOn = CODEC.required("on");
        e = assertThrows(IllegalArgumentException.class, () -> needsOn.read(Map.of("count", 1)));
        assertEquals("Sample config: 'on' is missing", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CODEC.read(Map.of("count", 1, "init", "he")));
        assertEquals("Sample config: 'init' is he, expected one of [default, xavier-uniform, xavier-normal,"
                + " kaiming-uniform, kaiming-normal]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CODEC.read(Map.of("count", 1.5)));
        assertEquals("Sample config: 'count' is 1.5, expected a whole number", e.getMessage());
    }

    @Test
    void anEnumReadsByKeyOrByName() {
        assertEquals(WeightInit.XAVIER_UNIFORM, CODEC.read(Map.of("count", 1, "init", "XAVIER_UNIFORM")).init());
        assertEquals(WeightInit.XAVIER_UNIFORM, CODEC.read(Map.of("count", 1, "init", "xavier-uniform")).init());
    }

    @Test
    void infinitiesTravelAsWords() {
        Clip c = Clip.of(0, Double.POSITIVE_INFINITY);
        assertEquals(Map.of("min", 0.0, "max", "inf"), c.config());
        assertEquals(c.settings(), Clip.fromConfig(c.config()).settings());
        // a real component may be NaN where its record allows it (none of the layers' records does)
        Sample odd = new Sample(1, Double.NaN, true, "a", WeightInit.DEFAULT, new int[] {2}, List.of(0));
        assertEquals("nan", CODEC.write(odd).get("rate"));
        assertTrue(Double.isNaN(CODEC.read(CODEC.write(odd)).rate()));
        // files written before every setting was written left the infinite bounds out
        assertEquals(Clip.of(Double.NEGATIVE_INFINITY, 6).settings(), Clip.fromConfig(Map.of("max", 6)).settings());
    }

    @Test
    void printsPositionalsBareAndOnlyTheNonDefaults() {
        assertEquals("Sample(1)", CODEC.describe(DEFAULTS));
        assertEquals("Sample(4, rate=0.25, on=false, init=xavier-normal, sizes=[3])",
                CODEC.describe(new Sample(4, 0.25, false, "a", WeightInit.XAVIER_NORMAL, new int[] {3}, List.of(0))));
        assertEquals("Sample(9)", CODEC.describe(DEFAULTS, "count", 9));
        assertEquals("Clip(min=0, max=6)", Clip.relu6().toString());
    }

    @Test
    void aWitherSetsOneComponentAndTheRecordChecksIt() {
        Sample s = CODEC.with(DEFAULTS, "rate", 0.75);
        assertEquals(0.75, s.rate());
        assertEquals(DEFAULTS.label(), s.label());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CODEC.with(DEFAULTS, "rate", "fast"));
        assertEquals("Sample: rate is fast, expected a double", e.getMessage());
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> CODEC.with(DEFAULTS, "speed", 1));
        assertEquals("Sample settings: no component 'speed', expected one of [count, rate, on, label, init, sizes,"
                + " axes]", x.getMessage());
        // the record's own check runs, with its own message
        e = assertThrows(IllegalArgumentException.class, () -> Dense.of(4).withInFeatures(-1));
        assertEquals("Dense: inFeatures is -1, expected >= 0", e.getMessage());
    }

    @Test
    void aComponentItCannotWriteIsRefusedWhenTheCodecIsMade() {
        record Odd(Object thing) {
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SettingsCodec.of("Odd", new Odd(null)));
        assertEquals("Odd settings: component 'thing' is a Object, which the settings codec does not write",
                e.getMessage());
    }

    @Test
    void pad2dReadsTheOneListOfEarlierFiles() {
        Pad2d p = Pad2d.fromConfig(Map.of("padding", List.of(1, 2, 3, 4), "mode", "reflect"));
        assertEquals(new Pad2d.Config(1, 2, 3, 4, PadMode.REFLECT, 0), p.settings());
        assertEquals("Pad2d(1, 2, 3, 4, mode=reflect)", p.toString());
        assertEquals(p.settings(), Pad2d.fromConfig(p.config()).settings());
    }
}
