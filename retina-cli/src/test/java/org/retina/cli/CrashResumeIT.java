package org.retina.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.io.ModelFile;
import org.retina.model.Model;
import org.retina.tensor.Parameter;
import org.retina.train.Checkpoint;

/**
 * Kill -9 in the middle of training: {@code retina train} runs in a child JVM and is killed during its second
 * epoch; {@code retina train --resume} then finishes the run, and the final weights and metrics equal those of an
 * uninterrupted run with the same seed, bit for bit (threads fixed).
 */
class CrashResumeIT {

    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String[] train(Path mnist, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--dataset", "mnist", "--data", mnist.toString(),
                "--subset", "12000", "--validation", "1000", "--epochs", "3", "--seed", "5", "--threads", "2",
                "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void killedMidEpochThenResumedEqualsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        CliIT.data();
        Path mnist = CliIT.mnist;
        Path straight = dir.resolve("straight");
        Path crashed = dir.resolve("crashed");
        Process child = new ProcessBuilder(command(train(mnist, crashed)))
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path last = crashed.resolve(Checkpoint.LAST);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(last) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(last), "the first epoch's checkpoint appears: " + Files.readString(
                dir.resolve("child.log")));
        // well inside the second epoch (an epoch of 11,000 images takes seconds here)
        Thread.sleep(700);
        assertTrue(child.isAlive(), "the child is still training when it is killed");
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, epochs(last), "the checkpoint left behind is the complete one of epoch 1");

        CliIT.Run resumed = CliIT.run("train", "--resume", crashed.toString(), "--dataset", "mnist", "--data",
                mnist.toString(), "--subset", "12000", "--validation", "1000", "--epochs", "3", "--threads", "2");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("Resuming"), resumed.out());
        CliIT.Run once = CliIT.run(train(mnist, straight));
        assertEquals(0, once.code(), once.err());

        Model a = ModelFile.load(straight.resolve(Checkpoint.LAST));
        Model b = ModelFile.load(last);
        for (Map.Entry<String, Parameter> e : a.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().value().data(), b.namedParameters().get(e.getKey()).value().data(),
                    e.getKey());
        }
        for (Map.Entry<String, Parameter> e : a.namedBuffers().entrySet()) {
            assertArrayEquals(e.getValue().value().data(), b.namedBuffers().get(e.getKey()).value().data(),
                    e.getKey());
        }
        List<String> m1 = Files.readAllLines(straight.resolve("metrics.csv"));
        List<String> m2 = Files.readAllLines(crashed.resolve("metrics.csv"));
        assertEquals(m1.size(), m2.size());
        for (int i = 0; i < m1.size(); i++) {
            // loss, accuracy, val_loss, val_accuracy, lr agree exactly; seconds and images/s are timings
            assertEquals(String.join(",", List.of(m1.get(i).split(",")).subList(0, 6)),
                    String.join(",", List.of(m2.get(i).split(",")).subList(0, 6)), "metrics row " + i);
        }
    }

    private static int epochs(Path last) throws IOException {
        Object t = ModelFile.read(last).metadata().get("trainer");
        return ((Number) ((Map<?, ?>) t).get("completedEpochs")).intValue();
    }
}
