package io.ftpipe.cli.options;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One option, a default per command: what the mixins promise the commands that share them. */
class OptionMixinsTest {

    @Command(name = "one")
    static final class One {
        @Mixin
        ModelOption model = new ModelOption("mobilenetv2");
        @Mixin
        ReportOption report = new ReportOption("runs/one-" + ReportOption.SCENARIO + ".json");
        @Mixin
        ScheduleOption schedule = new ScheduleOption();
    }

    @Command(name = "other")
    static final class Other {
        @Mixin
        ModelOption model = new ModelOption("cnn");
    }

    @Test
    void eachCommandHasItsOwnDefaultAndShowsIt() {
        assertEquals("mobilenetv2", CommandLine.populateCommand(new One()).model.name());
        assertEquals("cnn", CommandLine.populateCommand(new Other()).model.name());
        String help = new CommandLine(new One()).setUsageHelpWidth(160).getUsageMessage();
        assertTrue(help.contains("(default: mobilenetv2)"), help);
        assertTrue(help.contains("(default: runs/one-SCENARIO.json)"), help);
    }

    @Test
    void aGivenValueWinsAndTheNextParseStartsFromTheDefaultAgain() {
        One one = new One();
        CommandLine cmd = new CommandLine(one);
        cmd.parseArgs("--model", "mlp");
        assertEquals("mlp", one.model.name());
        cmd.parseArgs();
        assertEquals("mobilenetv2", one.model.name());
    }

    @Test
    void aReportDefaultTakesTheScenarioAndAGivenFileIsKept() {
        assertEquals(Path.of("runs/one-drift.json"), CommandLine.populateCommand(new One()).report.file("drift"));
        assertEquals(Path.of("mine.json"),
                CommandLine.populateCommand(new One(), "--report", "mine.json").report.file("drift"));
    }

    @Test
    void onlyGpipeSplitsABatch() {
        assertEquals(1, CommandLine.populateCommand(new One()).schedule.microBatches(4));
        assertEquals(1, CommandLine.populateCommand(new One(), "--schedule", "1f1b-overlap").schedule.microBatches(4));
        assertEquals(4, CommandLine.populateCommand(new One(), "--schedule", "gpipe").schedule.microBatches(4));
    }
}
