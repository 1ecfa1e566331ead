package io.ftpipe.cli.options;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --report}: where a command writes its JSON report; each command chooses its default. */
public final class ReportOption {
    /** In a default, stands for the scenario a benchmark runs. */
    public static final String SCENARIO = "SCENARIO";

    @Option(names = "--report", description = "Where to write the JSON report (default: ${DEFAULT-VALUE}).")
    private Path report;

    public ReportOption(String defaultFile) {
        this.report = Path.of(defaultFile);
    }

    public Path file() {
        return report;
    }

    /** The file, with {@value #SCENARIO} in it replaced by {@code scenario}. */
    public Path file(String scenario) {
        return Path.of(report.toString().replace(SCENARIO, scenario));
    }
}
