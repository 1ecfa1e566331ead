package io.ftpipe.cli.progress;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;

/** Progress bars as every ftpipe command draws them: on stderr, plain ASCII unless on a terminal. */
public final class ProgressBars {
    private static final int DEFAULT_WIDTH = 79;

    private ProgressBars() {
    }

    public static ProgressBar open(PrintWriter err, String task, long steps) {
        boolean terminal = System.console() != null;
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(steps)
                .setStyle(terminal ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(terminal ? 200 : 1000)
                .setConsumer(new WriterProgressConsumer(err, width()))
                .build();
    }

    /** Shells export COLUMNS only sometimes; a line a little short is better than one that wraps. */
    private static int width() {
        try {
            String columns = System.getenv("COLUMNS");
            return columns == null ? DEFAULT_WIDTH : Math.max(40, Integer.parseInt(columns.trim()) - 1);
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }
}
