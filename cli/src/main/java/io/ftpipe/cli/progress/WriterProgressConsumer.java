package io.ftpipe.cli.progress;

import me.tongfei.progressbar.ProgressBarConsumer;

import java.io.PrintWriter;

/**
 * Draws a progress bar on a {@link PrintWriter} (the command's stderr) by redrawing one line, so
 * that the bar goes wherever picocli's error stream goes, in tests too. A fixed width keeps the
 * library from probing the terminal.
 */
final class WriterProgressConsumer implements ProgressBarConsumer {
    private final PrintWriter out;
    private final int width;

    WriterProgressConsumer(PrintWriter out, int width) {
        this.out = out;
        this.width = width;
    }

    @Override
    public int getMaxRenderedLength() {
        return width;
    }

    @Override
    public void accept(String rendered) {
        synchronized (out) {
            out.print('\r');
            out.print(rendered.length() > width ? rendered.substring(0, width) : rendered);
            out.flush();
        }
    }

    @Override
    public void close() {
        synchronized (out) {
            out.println();
            out.flush();
        }
    }
}
