package io.ftpipe.device;

import io.ftpipe.device.config.ConfigException;
import io.ftpipe.device.config.DeviceConfig;
import io.ftpipe.device.config.DeviceConfigLoader;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The device client: {@code DeviceMain [--config FILE] [--id ID] [--broker-url URL] [--threads N]
 * [--slowdown K] ...}; flags override the file, which overrides the defaults (see
 * {@link DeviceConfigLoader}). Runs until the process is stopped.
 */
public final class DeviceMain {
    private DeviceMain() {
    }

    public static void main(String[] args) throws Exception {
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
        agent.start();
        stopped.await();
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
