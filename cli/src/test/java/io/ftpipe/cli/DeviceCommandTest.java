package io.ftpipe.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeviceCommandTest {
    @Test
    void theDevicesOwnFlagsArePassedOnUntouched() {
        DeviceCommand device = new DeviceCommand();
        new CommandLine(device).parseArgs("--id", "gw-1", "--broker-url", "tcp://10.0.0.2:1883", "--threads", "2");
        assertEquals(List.of("--id", "gw-1", "--broker-url", "tcp://10.0.0.2:1883", "--threads", "2"), device.args);
    }
}
