package io.ftpipe.device;

import io.ftpipe.device.config.ConfigException;
import io.ftpipe.device.config.DeviceConfig;
import io.ftpipe.device.config.DeviceConfigLoader;
import io.ftpipe.device.config.SettingsUsage;
import io.ftpipe.device.mqtt.TransportException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The device client: {@code DeviceMain [--config FILE] [--id ID] [--broker-url URL] [--threads N]
 * [--slowdown K] ...}; flags override the file, which overrides the defaults (see
 * {@link DeviceConfigLoader}). Runs until the process is stopped. Exit codes: 0 after {@code --help},
 * 1 when the broker cannot be reached at start, 2 for a bad configuration.
 */
public final class DeviceMain {
    private DeviceMain() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(usage());
            return;
        }
        DeviceConfig config;
        try {
            config = load(args);
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("ftpipe device: " + e.getMessage());
            System.exit(2);
            return;
        }
        DeviceAgent agent = new DeviceAgent(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                agent.close();
            } catch (Exception e) {
                System.err.println("ftpipe device: shutting down: " + e);
            }
            stopped.countDown();
        }));
        try {
            agent.start();
        } catch (TransportException e) {
            // One line for the operator's log rather than a stack trace; a supervisor (systemd) retries.
            System.err.println("ftpipe device: " + e.getMessage());
            System.exit(1);
            return;
        }
        stopped.await();
    }

    static String usage() {
        return """
                Usage: ftpipe-device [--config FILE] [--SETTING VALUE ...]
                Runs a device client: joins the central node through the MQTT broker at brokerUrl and
                trains the pipeline stages it is assigned, until it is stopped.
                Later layers win: defaults, then the JSON file (--config), then the environment, then flags.
                An empty environment value clears an optional setting (username, password, truststore).

                """ + SettingsUsage.table();
    }

    /** {@code --config FILE} names the file; every other {@code --flag value} is an override. */
    static DeviceConfig load(String[] args) {
        Path file = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --flag value pairs, got '" + args[i] + "'");
            }
            if (args[i].equals("--config")) {
                file = Path.of(args[i + 1]);
            } else {
                overrides.put(args[i], args[i + 1]);
            }
        }
        return DeviceConfigLoader.fromSystem().load(file, overrides);
    }
}
