package org.retina.spark;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.retina.io.ModelFile;
import org.retina.model.Model;
import org.retina.optim.Optimizer;
import org.retina.parallel.DataParallel;
import org.retina.tensor.Tensor;
import org.retina.train.History;

/**
 * Checkpoints of a distributed run in a folder of any file system Hadoop reaches (a local path, {@code hdfs://},
 * {@code s3a://}): {@code step-000000000123.retina}, a model file with the optimizer's state and the run's
 * position. Each is written under a temporary name and renamed, so a file with the final name is always whole;
 * older ones are deleted after a newer one is in place.
 */
final class Checkpoints {
    private static final String PREFIX = "step-";
    private static final String SUFFIX = ".retina";

    private Checkpoints() {
    }

    /** What a checkpoint holds. */
    record Loaded(ModelFile.Contents contents, DataParallel.Position position, History history) {
        /** The optimizer's saved state, named as {@link Optimizer#loadState} reads it. */
        Map<String, Tensor> optimizerState() {
            Map<String, Tensor> m = new LinkedHashMap<>();
            contents.extras().forEach((k, v) -> {
                if (k.startsWith("optimizer/")) {
                    m.put(k.substring("optimizer/".length()), v);
                }
            });
            return m;
        }
    }

    private static org.apache.hadoop.fs.Path folder(String dir) {
        return new org.apache.hadoop.fs.Path(dir);
    }

    /** Writes a checkpoint of the model and optimizer at {@code next}, then deletes the older ones. */
    static void write(String dir, Model model, Optimizer optimizer, DataParallel.Position next, History history)
            throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("epoch", next.epoch());
        meta.put("batch", next.batch());
        meta.put("steps", next.steps());
        meta.put("history", history.toMaps());
        Map<String, Tensor> extras = new LinkedHashMap<>();
        optimizer.state().forEach((k, v) -> extras.put("optimizer/" + k, v));
        byte[] bytes = ModelFile.toBytes(model, meta, extras);
        org.apache.hadoop.fs.Path to = folder(dir);
        FileSystem fs = to.getFileSystem(new Configuration());
        fs.mkdirs(to);
        String name = String.format(Locale.ROOT, "%s%012d%s", PREFIX, next.steps(), SUFFIX);
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(to, "." + name + ".tmp");
        org.apache.hadoop.fs.Path done = new org.apache.hadoop.fs.Path(to, name);
        try (var out = fs.create(tmp, true)) {
            out.write(bytes);
        }
        fs.delete(done, false);
        if (!fs.rename(tmp, done)) {
            throw new IOException("checkpoint: cannot rename " + tmp + " to " + done);
        }
        for (FileStatus st : fs.listStatus(to)) {
            String n = st.getPath().getName();
            if (n.startsWith(PREFIX) && n.endsWith(SUFFIX) && n.compareTo(name) < 0) {
                fs.delete(st.getPath(), false);
            }
        }
    }

    /** The name of the newest checkpoint in {@code dir}, or null when there is none (or no folder). */
    static String latest(String dir) throws IOException {
        org.apache.hadoop.fs.Path at = folder(dir);
        FileSystem fs = at.getFileSystem(new Configuration());
        if (!fs.exists(at)) {
            return null;
        }
        String best = null;
        for (FileStatus st : fs.listStatus(at)) {
            String n = st.getPath().getName();
            if (n.startsWith(PREFIX) && n.endsWith(SUFFIX) && (best == null || n.compareTo(best) > 0)) {
                best = n;
            }
        }
        return best;
    }

    /** Reads checkpoint {@code name} of {@code dir}. */
    static Loaded read(String dir, String name) throws IOException {
        org.apache.hadoop.fs.Path from = new org.apache.hadoop.fs.Path(folder(dir), name);
        byte[] bytes;
        try (var in = from.getFileSystem(new Configuration()).open(from)) {
            bytes = in.readAllBytes();
        }
        ModelFile.Contents c = ModelFile.read(bytes, from.toString());
        Map<String, Object> m = c.metadata();
        DataParallel.Position p = new DataParallel.Position(((Number) m.get("epoch")).intValue(),
                ((Number) m.get("batch")).intValue(), ((Number) m.get("steps")).longValue());
        return new Loaded(c, p, History.fromMaps((List<?>) m.get("history")));
    }

    /** Whether {@code dir/name} exists; creates it when not (a marker a fault is injected once by). */
    static boolean markOnce(String dir, String name) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(folder(dir), name);
        FileSystem fs = p.getFileSystem(new Configuration());
        if (fs.exists(p)) {
            return true;
        }
        fs.create(p, false).close();
        return false;
    }
}
