package io.ftpipe.broker.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * Calls {@code onChange} when one file changes, on a daemon thread of its own. The folder is
 * watched, not the file: editors and {@code mv} replace a file by renaming another over it, which
 * a watch on the file itself would miss. Events that arrive together (an editor writes, truncates
 * and renames) are taken as one change after {@value #SETTLE_MILLIS} ms of quiet.
 */
public final class ConfigFileWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileWatcher.class);
    static final long SETTLE_MILLIS = 300;

    private final WatchService watch;
    private final Thread thread;

    private ConfigFileWatcher(WatchService watch, Thread thread) {
        this.watch = watch;
        this.thread = thread;
    }

    public static ConfigFileWatcher start(Path file, Runnable onChange) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path folder = absolute.getParent();
        Path name = absolute.getFileName();
        WatchService watch = FileSystems.getDefault().newWatchService();
        folder.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        Thread thread = new Thread(() -> loop(watch, name, onChange), "ftpipe-accounts-watch");
        thread.setDaemon(true);
        thread.start();
        LOG.info("watching {} for changes of the accounts", absolute);
        return new ConfigFileWatcher(watch, thread);
    }

    private static void loop(WatchService watch, Path name, Runnable onChange) {
        try {
            while (true) {
                WatchKey key = watch.take();
                boolean ours = drain(key, name);
                // Let the writer finish; whatever else arrives meanwhile belongs to the same change.
                WatchKey more;
                while ((more = watch.poll(SETTLE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
                    ours |= drain(more, name);
                }
                if (ours) {
                    try {
                        onChange.run();
                    } catch (RuntimeException e) {
                        LOG.error("reloading after a change of the accounts failed", e);
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // Closed: the extension stops.
        }
    }

    private static boolean drain(WatchKey key, Path name) {
        boolean ours = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            ours |= event.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(event.context());
        }
        key.reset();
        return ours;
    }

    @Override
    public void close() {
        try {
            watch.close();
        } catch (IOException e) {
            LOG.warn("closing the watch of the accounts file failed: {}", e.toString());
        }
        thread.interrupt();
    }
}
