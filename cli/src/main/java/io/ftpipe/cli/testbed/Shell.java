package io.ftpipe.cli.testbed;

import java.io.IOException;
import java.util.List;

/** Runs a system command to its end; a test gives a fake that records what would run. */
public interface Shell {
    /**
     * @return what the command printed
     * @throws IOException if it could not run or exited with an error (its output in the message)
     */
    String run(List<String> argv) throws IOException;

    /** The machine's own. */
    Shell SYSTEM = argv -> {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", argv) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", argv) + " was interrupted", e);
        }
        return out;
    };
}
