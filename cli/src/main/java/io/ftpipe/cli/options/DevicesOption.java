package io.ftpipe.cli.options;

import picocli.CommandLine.Option;

/** {@code --devices}: how many device processes a job trains on; each command chooses its default. */
public final class DevicesOption {
    @Option(names = "--devices", description = "Devices to train on (default: ${DEFAULT-VALUE}).")
    private int devices;

    public DevicesOption(int defaultDevices) {
        this.devices = defaultDevices;
    }

    public int value() {
        return devices;
    }
}
