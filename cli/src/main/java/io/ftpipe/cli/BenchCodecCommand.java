package io.ftpipe.cli;

import io.ftpipe.cli.bench.CodecBenchmark;
import io.ftpipe.cli.report.JsonReports;
import io.ftpipe.cli.report.Machine;
import io.ftpipe.cli.options.ReportOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ftpipe bench codec}: the wire codec's throughput from 1 KiB to 16 MiB tensors. */
@Command(name = "codec", mixinStandardHelpOptions = true,
        description = "Encode + decode throughput of tensor messages, 1 KiB to 16 MiB.")
public final class BenchCodecCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    private ReportOption report = new ReportOption("runs/bench-codec.json");

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        List<Map<String, Object>> results = new ArrayList<>();
        out.println("GB/s from the median time per message (p90 times in the report)");
        out.printf("%12s %14s %14s %14s%n", "tensor", "encode GB/s", "decode GB/s", "both GB/s");
        for (int kib = 1; kib <= 16 * 1024; kib *= 4) {
            Map<String, Object> r = CodecBenchmark.measure(kib * 1024, kib >= 4096 ? 50 : 200);
            results.add(r);
            out.printf("%9d KiB %14.2f %14.2f %14.2f%n", kib, r.get("encode_gb_per_s"), r.get("decode_gb_per_s"),
                    r.get("round_trip_gb_per_s"));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "codec");
        json.put("results", results);
        json.put("machine", Machine.describe());
        JsonReports.write(report.file(), json);
        out.println("wrote " + report.file());
        return 0;
    }
}
