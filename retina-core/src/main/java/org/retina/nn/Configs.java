package org.retina.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a component's config map with errors that name the component, the key, the value and the expectation. */
public final class Configs {
    private final String type;
    private final Map<String, Object> map;

    private Configs(String type, Map<String, Object> map) {
        this.type = type;
        this.map = map;
    }

    /** A reader of {@code map} whose errors name the component {@code type}. */
    public static Configs read(String type, Map<String, Object> map) {
        return new Configs(type, map);
    }

    /** A fresh ordered map for writing a config. */
    public static Map<String, Object> map() {
        return new LinkedHashMap<>();
    }

    /** Whether {@code key} is present with a non-null value. */
    public boolean has(String key) {
        return map.containsKey(key) && map.get(key) != null;
    }

    private Object need(String key) {
        Object v = map.get(key);
        if (v == null) {
            throw new IllegalArgumentException(type + " config: '" + key + "' is missing");
        }
        return v;
    }

    private IllegalArgumentException bad(String key, Object v, String expected) {
        return new IllegalArgumentException(type + " config: '" + key + "' is " + v + ", expected " + expected);
    }

    /** The whole number at {@code key}, which must be present. */
    public int integer(String key) {
        Object v = need(key);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        throw bad(key, v, "a whole number");
    }

    /** The whole number at {@code key}, or {@code dflt} when absent. */
    public int integer(String key, int dflt) {
        return has(key) ? integer(key) : dflt;
    }

    /** The number at {@code key}, which must be present; {@code "inf"}, {@code "-inf"} or {@code "nan"} as words. */
    public double number(String key) {
        Object v = need(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if ("inf".equals(v) || "-inf".equals(v) || "nan".equals(v)) {
            return "nan".equals(v) ? Double.NaN : "inf".equals(v) ? Double.POSITIVE_INFINITY
                    : Double.NEGATIVE_INFINITY;
        }
        throw bad(key, v, "a number");
    }

    /** The number at {@code key}, or {@code dflt} when absent. */
    public double number(String key, double dflt) {
        return has(key) ? number(key) : dflt;
    }

    /** The boolean at {@code key}, or {@code dflt} when absent. */
    public boolean bool(String key, boolean dflt) {
        if (!has(key)) {
            return dflt;
        }
        Object v = map.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        throw bad(key, v, "true or false");
    }

    /** The string at {@code key}, which must be present. */
    public String string(String key) {
        Object v = need(key);
        if (v instanceof String s) {
            return s;
        }
        throw bad(key, v, "a string");
    }

    /** The string at {@code key}, or {@code dflt} when absent. */
    public String string(String key, String dflt) {
        return has(key) ? string(key) : dflt;
    }

    /** A pair written as one number (both equal) or {@code [h, w]}. */
    public int[] pair(String key) {
        Object v = need(key);
        if (v instanceof Number) {
            int i = integer(key);
            return new int[] {i, i};
        }
        if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number a && l.get(1) instanceof Number b) {
            return new int[] {a.intValue(), b.intValue()};
        }
        throw bad(key, v, "a number or [height, width]");
    }

    /** The pair at {@code key} as {@link #pair(String)} reads it, or {@code [dflt, dflt]} when absent. */
    public int[] pair(String key, int dflt) {
        return has(key) ? pair(key) : new int[] {dflt, dflt};
    }

    /** The padding at {@code key} in any form {@link Padding#fromConfig} reads; {@link Padding#VALID} when absent. */
    public Padding padding(String key) {
        try {
            return has(key) ? Padding.fromConfig(map.get(key)) : Padding.VALID;
        } catch (RuntimeException e) {
            throw bad(key, map.get(key), "same, valid, a number, [h, w] or [top, bottom, left, right]");
        }
    }

    /** The {@link Fit} at {@code key}, by key or constant name, or {@code dflt} when absent. */
    public Fit fit(String key, Fit dflt) {
        if (!has(key)) {
            return dflt;
        }
        try {
            return Fit.parse(string(key));
        } catch (IllegalArgumentException e) {
            throw bad(key, map.get(key), "strict, pad-to-fit, floor or ceil");
        }
    }

    /** The nested config at {@code key}, which must be present: a part's own settings. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> section(String key) {
        Object v = need(key);
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw bad(key, v, "a nested config {...}");
    }

    /** The constant of {@code type} named at {@code key} in any case, or {@code dflt} when absent. */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E dflt) {
        if (!has(key)) {
            return dflt;
        }
        String s = string(key);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        throw bad(key, s, "one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(java.util.Locale.ROOT)).toList());
    }

    /** The list of whole numbers at {@code key}, which must be present. */
    public int[] ints(String key) {
        Object v = need(key);
        if (v instanceof List<?> l) {
            int[] r = new int[l.size()];
            for (int i = 0; i < r.length; i++) {
                if (!(l.get(i) instanceof Number n)) {
                    throw bad(key, v, "a list of whole numbers");
                }
                r[i] = n.intValue();
            }
            return r;
        }
        throw bad(key, v, "a list of whole numbers");
    }

    /** {@code [h, w]} as a config value: one number when equal. */
    public static Object pairValue(int h, int w) {
        return h == w ? (Object) h : List.of(h, w);
    }

    /** {@code values} as a list config value. */
    public static List<Integer> list(int... values) {
        List<Integer> l = new ArrayList<>(values.length);
        for (int v : values) {
            l.add(v);
        }
        return l;
    }
}
