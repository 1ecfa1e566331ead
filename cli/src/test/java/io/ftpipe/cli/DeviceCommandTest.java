package io.ftpipe.cli;

import io.ftpipe.device.mqtt.PahoDecoding;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceCommandTest {
    /** The launcher's jar manifest lists the jars in this order too, and its devices inherit it. */
    @Test
    void devicesStartedFromTheLauncherDecodeIncomingMessagesInBulk() {
        assertTrue(PahoDecoding.bulk(), "device-client's jar must come before Paho's");
    }

    @Test
    void theDevicesOwnFlagsArePassedOnUntouched() {
        DeviceCommand device = new DeviceCommand();
        new CommandLine(device).parseArgs("--id", "gw-1", "--broker-url", "tcp://10.0.0.2:1883", "--threads", "2");
        assertEquals(List.of("--id", "gw-1", "--broker-url", "tcp://10.0.0.2:1883", "--threads", "2"), device.args);
    }
}
