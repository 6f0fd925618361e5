package org.retina.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.retina.loss.Loss;
import org.retina.model.Model;
import org.retina.optim.Optimizer;

/** Where a model runs: {@code cpu} (the pure-Java engine, always there) or a device a provider on the class path adds. */
public final class Devices {
    /** The name of the pure-Java engine, always available. */
    public static final String CPU = "cpu";

    private Devices() {
    }

    /** {@code cpu} and the devices of the providers on the class path. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(List.of(CPU));
        for (AcceleratorProvider p : ServiceLoader.load(AcceleratorProvider.class)) {
            names.add(p.name());
        }
        return names;
    }

    /** The name in lower case, checked: {@code cpu} or a known device. */
    public static String check(String device) {
        String d = device.toLowerCase(Locale.ROOT).strip();
        if (!names().contains(d)) {
            throw new IllegalArgumentException("device '" + device + "' is unknown; expected one of " + names()
                    + (d.equals("cuda") ? " (the cuda device needs the retina-cuda module on the class path)" : ""));
        }
        return d;
    }

    /**
     * Checks that {@code device} can be used here, before any work.
     *
     * @throws IllegalArgumentException naming what is missing
     */
    public static void requireAvailable(String device) {
        String d = check(device);
        if (!d.equals(CPU)) {
            usable(d);
        }
    }

    /** The provider of device {@code d} (not cpu), checked usable here. */
    private static AcceleratorProvider usable(String d) {
        for (AcceleratorProvider p : ServiceLoader.load(AcceleratorProvider.class)) {
            if (p.name().equals(d)) {
                String why = p.unavailableReason();
                if (why != null) {
                    throw new IllegalArgumentException("device '" + d + "' cannot be used: " + why);
                }
                return p;
            }
        }
        throw new IllegalStateException("device '" + d + "' has no provider");
    }

    /**
     * An accelerator for {@code device}, or null for {@code cpu}.
     *
     * @throws IllegalArgumentException when the device cannot be used here, saying why
     */
    public static Accelerator open(String device, Model model, Loss loss, Optimizer optimizer, long seed) {
        return open(device, model, loss, optimizer, seed, 0);
    }

    /** {@link #open(String, Model, Loss, Optimizer, long)} clipping the gradients' joint norm at {@code clipNorm}. */
    public static Accelerator open(String device, Model model, Loss loss, Optimizer optimizer, long seed,
                                   double clipNorm) {
        String d = check(device);
        return d.equals(CPU) ? null : usable(d).open(model, loss, optimizer, seed, clipNorm);
    }
}
