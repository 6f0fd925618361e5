package org.retina.nn;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The one codec of a layer's settings record: the record is the declaration, and its components feed the model-file
 * config, its reading back, the printed form and the withers. Adding a setting to a layer is adding a component to its
 * record (and its default to the codec's default instance); nothing else lists the fields.
 *
 * <p>Each component is the config key of its own name. Every component is written, defaults included, so that a model
 * file reads the same when a later version changes a default; an absent key reads as the default, a required one is
 * an error that names it. Values: whole and real numbers (non-finite ones as {@code "inf"}, {@code "-inf"},
 * {@code "nan"}), booleans, strings, enums by key ({@code xavier-uniform} for {@code XAVIER_UNIFORM}), {@code int[]}
 * and {@code List<Integer>} as lists, and a {@link Window.Spec}, whose keys it writes itself. The printed form is
 * PyTorch's: positional components bare, then {@code key=value} for the rest, each only when required or not the
 * default.
 *
 * @param <R> the settings record
 */
public final class SettingsCodec<R extends Record> {
    private final String type;
    private final RecordComponent[] parts;
    private final Object[] defaults;
    private final boolean[] required;
    private final boolean[] positional;
    private final boolean strideIsKernel;
    private final Constructor<R> make;

    private SettingsCodec(String type, RecordComponent[] parts, Object[] defaults, boolean[] required,
                          boolean[] positional, boolean strideIsKernel, Constructor<R> make) {
        this.type = type;
        this.parts = parts;
        this.defaults = defaults;
        this.required = required;
        this.positional = positional;
        this.strideIsKernel = strideIsKernel;
        this.make = make;
    }

    /**
     * The codec of the layer {@code type}'s settings, whose defaults are {@code defaults}' components.
     *
     * @throws IllegalStateException if a component's type is not one the codec writes
     */
    public static <R extends Record> SettingsCodec<R> of(String type, R defaults) {
        @SuppressWarnings("unchecked")
        Class<R> kind = (Class<R>) defaults.getClass();
        RecordComponent[] parts = kind.getRecordComponents();
        Class<?>[] types = new Class<?>[parts.length];
        for (int i = 0; i < parts.length; i++) {
            types[i] = parts[i].getType();
            if (!writable(types[i])) {
                throw new IllegalStateException(type + " settings: component '" + parts[i].getName() + "' is a "
                        + types[i].getSimpleName() + ", which the settings codec does not write");
            }
        }
        try {
            Constructor<R> make = kind.getDeclaredConstructor(types);
            make.setAccessible(true);
            SettingsCodec<R> codec = new SettingsCodec<>(type, parts, new Object[parts.length],
                    new boolean[parts.length], new boolean[parts.length], false, make);
            for (int i = 0; i < parts.length; i++) {
                codec.defaults[i] = codec.value(defaults, i);
            }
            return codec;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " settings: " + kind.getName() + " has no canonical constructor", e);
        }
    }

    private static boolean writable(Class<?> t) {
        return t == int.class || t == double.class || t == boolean.class || t == String.class
                || t.isEnum() || t == int[].class || t == List.class || t == Window.Spec.class;
    }

    /** With the named components required: always printed, and an error when a config lacks them. */
    public SettingsCodec<R> required(String... names) {
        boolean[] r = required.clone();
        for (String n : names) {
            r[index(n)] = true;
        }
        return new SettingsCodec<>(type, parts, defaults, r, positional, strideIsKernel, make);
    }

    /** With the named components printed bare, in their order, as PyTorch prints {@code Conv2d(1, 16, ...)}. */
    public SettingsCodec<R> positional(String... names) {
        boolean[] p = positional.clone();
        for (String n : names) {
            p[index(n)] = true;
        }
        return new SettingsCodec<>(type, parts, defaults, required, p, strideIsKernel, make);
    }

    /** With a window whose stride defaults to its kernel, as pooling's does (a convolution's defaults to 1). */
    public SettingsCodec<R> strideIsKernel() {
        return new SettingsCodec<>(type, parts, defaults, required, positional, true, make);
    }

    private int index(String name) {
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].getName().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException(type + " settings: no component '" + name + "', expected one of "
                + Arrays.stream(parts).map(RecordComponent::getName).toList());
    }

    private Object value(R settings, int i) {
        try {
            return parts[i].getAccessor().invoke(settings);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(type + " settings: cannot read '" + parts[i].getName() + "'", e);
        }
    }

    private R make(Object[] args) {
        try {
            return make.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(type + " settings: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " settings: cannot make " + make.getDeclaringClass().getName(), e);
        }
    }

    /** {@code settings} as a model-file config: every component under its own name, in the record's order. */
    public Map<String, Object> write(R settings) {
        Map<String, Object> m = Configs.map();
        for (int i = 0; i < parts.length; i++) {
            Object v = value(settings, i);
            switch (v) {
                case Window.Spec w -> w.write(m);
                case Double d when !Double.isFinite(d) -> m.put(parts[i].getName(),
                        d.isNaN() ? "nan" : d > 0 ? "inf" : "-inf");
                case Enum<?> e -> m.put(parts[i].getName(), key(e));
                case int[] a -> m.put(parts[i].getName(), Configs.list(a));
                case null -> { }
                default -> m.put(parts[i].getName(), v);
            }
        }
        return m;
    }

    /** The inverse of {@link #write}: absent keys read as the defaults, unless required. */
    public R read(Map<String, Object> map) {
        Configs r = Configs.read(type, map);
        Object[] args = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String key = parts[i].getName();
            Class<?> t = parts[i].getType();
            if (t == Window.Spec.class) {
                args[i] = Window.Spec.read(r, strideIsKernel);
            } else if (!r.has(key) && !required[i]) {
                args[i] = defaults[i];
            } else if (!r.has(key)) {
                throw new IllegalArgumentException(type + " config: '" + key + "' is missing");
            } else if (t == int.class) {
                args[i] = r.integer(key);
            } else if (t == double.class) {
                args[i] = r.number(key);
            } else if (t == boolean.class) {
                args[i] = r.bool(key, false);
            } else if (t == String.class) {
                args[i] = r.string(key);
            } else if (t.isEnum()) {
                args[i] = choice(r, key, t);
            } else if (t == int[].class) {
                args[i] = r.ints(key);
            } else {
                args[i] = Arrays.stream(r.ints(key)).boxed().toList();
            }
        }
        return make(args);
    }

    private Object choice(Configs r, String key, Class<?> t) {
        String s = r.string(key);
        for (Object e : t.getEnumConstants()) {
            if (key((Enum<?>) e).equals(s) || ((Enum<?>) e).name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        throw new IllegalArgumentException(type + " config: '" + key + "' is " + s + ", expected one of "
                + Arrays.stream(t.getEnumConstants()).map(e -> key((Enum<?>) e)).toList());
    }

    /** An enum constant as configs and printed forms name it: lower case, {@code -} for {@code _}. */
    static String key(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code settings} with the component {@code name} set to {@code value}, checked as the record checks it. */
    public R with(R settings, String name, Object value) {
        int at = index(name);
        Object[] args = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) {
            args[i] = i == at ? value : value(settings, i);
        }
        if (value == null ? parts[at].getType().isPrimitive()
                : !box(parts[at].getType()).isInstance(value)) {
            throw new IllegalArgumentException(type + ": " + name + " is " + value + ", expected a "
                    + parts[at].getType().getSimpleName());
        }
        return make(args);
    }

    private static Class<?> box(Class<?> t) {
        return t == int.class ? Integer.class : t == double.class ? Double.class
                : t == boolean.class ? Boolean.class : t;
    }

    /** {@code Type(positional, key=value)}: the components that are required or not the default. */
    public String describe(R settings) {
        return describe(settings, null, null);
    }

    /**
     * As {@link #describe(Record)}, showing {@code shown} for the component {@code name}: what the layer learned at
     * build (the input features a {@code Dense} inferred), where the settings hold "inferred".
     */
    public String describe(R settings, String name, Object shown) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            Object v = parts[i].getName().equals(name) && shown != null ? shown : value(settings, i);
            if (v instanceof Window.Spec w) {
                StringBuilder sb = new StringBuilder("kernel=").append(Conv2d.pair(w.kH(), w.kW()));
                w.describe(sb, strideIsKernel);
                w.describeFit(sb);
                items.add(sb.toString());
            } else if (required[i] || !Objects.deepEquals(v, defaults[i])) {
                items.add(positional[i] ? text(v) : parts[i].getName() + "=" + text(v));
            }
        }
        return type + "(" + String.join(", ", items) + ")";
    }

    private static String text(Object v) {
        return switch (v) {
            case Double d when Double.isInfinite(d) -> d > 0 ? "inf" : "-inf";
            case Double d -> PoolWindow.number(d);
            case Enum<?> e -> key(e);
            case int[] a -> Arrays.toString(a);
            default -> String.valueOf(v);
        };
    }
}
