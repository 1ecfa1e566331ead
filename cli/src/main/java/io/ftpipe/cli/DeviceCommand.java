package io.ftpipe.cli;

import io.ftpipe.device.DeviceMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ftpipe device --config FILE [--flag value ...]}: the device client (see device-client). */
@Command(name = "device", mixinStandardHelpOptions = true,
        description = "Run a device client: --config FILE, then --id, --broker-url, --threads, --slowdown, ... as overrides.")
public final class DeviceCommand implements Callable<Integer> {
    /** Passed to the device's own loader, which knows its settings and explains bad ones. */
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        DeviceMain.main(args.toArray(String[]::new));
        return 0;
    }
}
