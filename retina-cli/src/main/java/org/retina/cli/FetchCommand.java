package org.retina.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.retina.data.DatasetStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code retina fetch}: downloads a dataset into the store, checking every file. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Download a dataset (mnist, fashion-mnist, cifar10) into the dataset store and verify it.",
            "The store is RETINA_DATA, else the per-user cache; --data DIR puts it elsewhere."})
final class FetchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "mnist, fashion-mnist or cifar10.")
    String name;

    @Option(names = "--archive", paramLabel = "FILE",
            description = "Install an archive downloaded by hand (cifar10: cifar-10-binary.tar.gz) instead of"
                    + " downloading it; its SHA-256 is checked.")
    Path archive;

    @Option(names = "--data", description = "Store folder (default: RETINA_DATA or the per-user cache).")
    Path data;

    @Override
    public Integer call() throws IOException {
        String n;
        try {
            n = DatasetStore.canonicalName(name);
        } catch (IllegalArgumentException e) {
            throw new Errors.UserError(e.getMessage());
        }
        Path root = data != null ? data : DatasetStore.defaultRoot();
        Path dir;
        try {
            dir = archive != null ? DatasetStore.install(n, archive, root, new DownloadProgress(System.out))
                    : DatasetStore.fetch(n, root, new DownloadProgress(System.out));
        } catch (IllegalArgumentException e) {
            throw new Errors.UserError(e.getMessage());
        }
        System.out.println("Dataset " + n + " is ready in " + dir);
        return 0;
    }
}
