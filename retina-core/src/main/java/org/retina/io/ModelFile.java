package org.retina.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.retina.data.format.Npy;
import org.retina.model.Graph;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.Component;
import org.retina.nn.Layer;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * The {@code .retina} model file: a zip holding {@code model.json} (format version, architecture, metadata) and
 * one {@code .npy} per parameter and buffer under {@code tensors/}, plus optional extra tensors (optimizer state)
 * under {@code extra/}. Saving is atomic; loading checks everything before it returns a model, so a truncated or
 * foreign file gives an error, never a half model. Round trips are bit-exact.
 */
public final class ModelFile {
    /** The {@code format} value of {@code model.json}, which marks a Retina model file. */
    public static final String FORMAT = "retina-model";
    /** The newest format version this Retina writes and reads; older versions are read too. */
    public static final int VERSION = 1;
    private static final String MANIFEST = "model.json";
    private static final long MAX_JSON = 64L << 20;
    private static final long MAX_TENSOR = 2L << 30;

    private ModelFile() {
    }

    /** What a model file holds. */
    public record Contents(Model model, Map<String, Object> metadata, Map<String, Tensor> extras) {
    }

    /** Saves a built model and its metadata atomically, without extra tensors. */
    public static void save(Path file, Model model, Map<String, Object> metadata) throws IOException {
        save(file, model, metadata, Map.of());
    }

    /** Saves atomically; {@code extras} are stored as-is (e.g. optimizer state for resuming). */
    public static void save(Path file, Model model, Map<String, Object> metadata, Map<String, Tensor> extras)
            throws IOException {
        Map<String, Object> manifest = manifest(model, metadata);
        AtomicFile.write(file, out -> write(out, model, manifest, extras));
    }

    /** What {@code model.json} says of a built model: format, architecture, frozen parameters and metadata. */
    private static Map<String, Object> manifest(Model model, Map<String, Object> metadata) {
        if (!model.isBuilt()) {
            throw new IllegalStateException("ModelFile.save: the model must be built first");
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", FORMAT);
        manifest.put("formatVersion", VERSION);
        manifest.put("kind", model.kind());
        manifest.put("inputShape", shapeList(model.inputShape()));
        manifest.put("output", model.outputName());
        List<Object> nodes = new ArrayList<>();
        for (Model.Node n : model.nodes()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("name", n.name());
            node.put("type", n.component().type());
            node.put("inputs", n.inputs());
            node.put("config", n.component().config());
            List<String> frozen = n.component().parameters().stream().filter(p -> !p.trainable())
                    .map(Parameter::name).toList();
            if (!frozen.isEmpty()) {
                node.put("frozen", frozen);
            }
            nodes.add(node);
        }
        manifest.put("nodes", nodes);
        manifest.put("metadata", metadata);
        return manifest;
    }

    /**
     * A model file's bytes, without a file: how a model travels to the replicas of a distributed run and to the
     * executors that score with it. {@link #read(byte[], String)} reads them back.
     */
    public static byte[] toBytes(Model model, Map<String, Object> metadata, Map<String, Tensor> extras)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        write(bytes, model, manifest(model, metadata), extras);
        return bytes.toByteArray();
    }

    /** Reads a model file's bytes ({@link #toBytes}); {@code name} says where they came from in errors. */
    public static Contents read(byte[] bytes, String name) throws IOException {
        Path tmp = Files.createTempFile("retina-model", ".retina");
        try {
            Files.write(tmp, bytes);
            return read(tmp);
        } catch (IOException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void write(OutputStream out, Model model, Map<String, Object> manifest,
                              Map<String, Tensor> extras) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(Json.pretty(manifest).getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            writeTensor(zip, "tensors/" + e.getKey() + ".npy", e.getValue().value());
        }
        for (Map.Entry<String, Parameter> e : model.namedBuffers().entrySet()) {
            writeTensor(zip, "tensors/" + e.getKey() + ".npy", e.getValue().value());
        }
        for (Map.Entry<String, Tensor> e : extras.entrySet()) {
            writeTensor(zip, "extra/" + e.getKey() + ".npy", e.getValue());
        }
        zip.finish();
    }

    private static void writeTensor(ZipOutputStream zip, String name, Tensor t) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        Npy.write(zip, t);
        zip.closeEntry();
    }

    private static List<Integer> shapeList(Shape s) {
        List<Integer> l = new ArrayList<>();
        for (int d : s.dims()) {
            l.add(d);
        }
        return l;
    }

    /** Reads and checks a model file, returning only its model. */
    public static Model load(Path file) throws IOException {
        return read(file).model();
    }

    /** Reads and checks a whole model file. */
    @SuppressWarnings("unchecked")
    public static Contents read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "model file not found");
        }
        String where = "model file " + file;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry me = zip.getEntry(MANIFEST);
            if (me == null) {
                throw new IOException(where + ": not a Retina model (no " + MANIFEST + " inside)");
            }
            Map<String, Object> manifest;
            try {
                manifest = Json.parseObject(new String(readEntry(zip, me, MAX_JSON, where), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": " + MANIFEST + " is not valid JSON: " + e.getMessage());
            }
            if (!FORMAT.equals(manifest.get("format"))) {
                throw new IOException(where + ": format is " + manifest.get("format") + ", expected " + FORMAT);
            }
            Object version = manifest.get("formatVersion");
            if (!(version instanceof Number v) || v.intValue() < 1 || v.intValue() > VERSION) {
                throw new IOException(where + ": format version " + version + ", this Retina reads 1 to " + VERSION
                        + " (a newer Retina wrote it?)");
            }
            Model model;
            try {
                model = architecture(manifest);
            } catch (RuntimeException e) {
                throw new IOException(where + ": bad architecture: " + e.getMessage(), e);
            }
            Set<String> expected = new LinkedHashSet<>();
            Map<String, Parameter> all = new LinkedHashMap<>(model.namedParameters());
            all.putAll(model.namedBuffers());
            for (Map.Entry<String, Parameter> e : all.entrySet()) {
                String name = "tensors/" + e.getKey() + ".npy";
                expected.add(name);
                ZipEntry te = zip.getEntry(name);
                if (te == null) {
                    throw new IOException(where + ": " + e.getKey() + " is missing");
                }
                Tensor t = readNpy(zip, te, where);
                if (!t.shape().equals(e.getValue().shape())) {
                    throw new IOException(where + ": " + e.getKey() + " has shape " + t.shape() + ", the architecture"
                            + " needs " + e.getValue().shape());
                }
                e.getValue().value().copyFrom(t);
            }
            Map<String, Tensor> extras = new LinkedHashMap<>();
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry z = entries.nextElement();
                if (z.getName().startsWith("tensors/") && !expected.contains(z.getName())) {
                    throw new IOException(where + ": " + z.getName() + " belongs to no parameter of the architecture");
                }
                if (z.getName().startsWith("extra/") && z.getName().endsWith(".npy")) {
                    String key = z.getName().substring(6, z.getName().length() - 4);
                    extras.put(key, readNpy(zip, z, where));
                }
            }
            Object meta = manifest.getOrDefault("metadata", Map.of());
            return new Contents(model, meta instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(), extras);
        } catch (ZipException | java.io.EOFException e) {
            throw new IOException(where + ": not a Retina model (not a zip file, or truncated): " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Model architecture(Map<String, Object> manifest) {
        List<Object> shape = (List<Object>) manifest.get("inputShape");
        int[] dims = shape.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
        List<Object> nodes = (List<Object>) manifest.get("nodes");
        String kind = (String) manifest.get("kind");
        Model model;
        if ("Sequential".equals(kind)) {
            Sequential.Builder b = Sequential.builder();
            for (Object o : nodes) {
                Map<String, Object> n = (Map<String, Object>) o;
                b.add((String) n.get("name"), (Layer) component(n));
            }
            model = b.build();
        } else if ("Graph".equals(kind)) {
            Graph.Builder b = Graph.builder();
            for (Object o : nodes) {
                Map<String, Object> n = (Map<String, Object>) o;
                List<Object> inputs = (List<Object>) n.get("inputs");
                b.add((String) n.get("name"), component(n), inputs.stream().map(String.class::cast)
                        .toArray(String[]::new));
            }
            model = b.build((String) manifest.get("output"));
        } else {
            throw new IllegalArgumentException("kind " + kind + ", expected Sequential or Graph");
        }
        model.build(Shape.of(dims));
        for (Object o : nodes) {
            Map<String, Object> n = (Map<String, Object>) o;
            Object frozen = n.get("frozen");
            if (frozen instanceof List<?> names) {
                Component c = model.node((String) n.get("name")).component();
                c.parameters().stream().filter(p -> names.contains(p.name())).forEach(p -> p.setTrainable(false));
            }
        }
        return model;
    }

    @SuppressWarnings("unchecked")
    private static Component component(Map<String, Object> n) {
        Object config = n.get("config");
        return LayerRegistry.create((String) n.get("type"),
                config instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
    }

    private static Tensor readNpy(ZipFile zip, ZipEntry e, String where) throws IOException {
        byte[] bytes = readEntry(zip, e, MAX_TENSOR, where);
        return Npy.read(new ByteArrayInputStream(bytes), where + ":" + e.getName(), bytes.length).toTensor();
    }

    private static byte[] readEntry(ZipFile zip, ZipEntry e, long max, String where) throws IOException {
        if (e.getSize() > max) {
            throw new IOException(where + ": entry " + e.getName() + " claims " + e.getSize() + " bytes, more than "
                    + max);
        }
        try (InputStream in = zip.getInputStream(e)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int r;
            while ((r = in.read(buf)) > 0) {
                total += r;
                if (total > max) {
                    throw new IOException(where + ": entry " + e.getName() + " is larger than " + max + " bytes");
                }
                out.write(buf, 0, r);
            }
            return out.toByteArray();
        } catch (java.io.EOFException | ZipException ex) {
            throw new IOException(where + ": entry " + e.getName() + " cannot be read (the zip is truncated or"
                    + " damaged)");
        }
    }
}
