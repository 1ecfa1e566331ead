package io.ftpipe.it;

import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.ExtensionConfigReader;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.broker.security.PasswordHash;
import io.ftpipe.centralclient.configuration.BrokerConnection;
import io.ftpipe.centralclient.mosquitto.MosquittoConf;
import io.ftpipe.centralclient.mosquitto.MosquittoProcess;
import io.ftpipe.centralclient.mosquitto.MosquittoSecurityFiles;
import io.ftpipe.cli.FtpipeMain;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Debian mosquitto as an operator would set it up for FTPipeHD: the accounts in the security
 * section of {@code ftpipe-extension.json}, the broker's password and ACL files written from them
 * by {@code ftpipe mosquitto-config}, and its listener lines ({@value MosquittoSecurityFiles#CONF})
 * in the broker's configuration. Each password is derived from its user name.
 */
final class MosquittoSite implements AutoCloseable {
    static final String CENTRAL = BrokerConnection.DEFAULT_CLIENT_ID;

    final Path dir;
    final MosquittoProcess broker;
    private final List<String> devices;
    private final List<String> admins;
    private final boolean dynamicSecurity;

    private MosquittoSite(Path dir, MosquittoProcess broker, List<String> devices, List<String> admins,
                          boolean dynamicSecurity) {
        this.dir = dir;
        this.broker = broker;
        this.devices = devices;
        this.admins = admins;
        this.dynamicSecurity = dynamicSecurity;
    }

    static String password(String user) {
        return "pw-of-" + user;
    }

    /**
     * @param devices the device accounts
     * @param admins  the accounts of the admin role (read every ftpipe topic, publish none)
     */
    static MosquittoSite start(Path dir, List<String> devices, List<String> admins) throws Exception {
        return start(dir, devices, admins, null);
    }

    /**
     * With Mosquitto's dynamic-security plugin ({@code mosquitto-config --dynamic-security}): the
     * central node must drive it ({@link #centralConnection} says so).
     *
     * @param editPluginConfig changes the plugin's configuration file before the broker reads it
     */
    static MosquittoSite startWithDynamicSecurity(Path dir, List<String> devices, List<String> admins,
                                                  Consumer<Path> editPluginConfig) throws Exception {
        return start(dir, devices, admins, editPluginConfig);
    }

    private static MosquittoSite start(Path dir, List<String> devices, List<String> admins,
                                       Consumer<Path> editPluginConfig) throws Exception {
        Files.createDirectories(dir);
        List<String> passwords = new ArrayList<>(List.of(CENTRAL + ":" + password(CENTRAL)));
        devices.forEach(d -> passwords.add(d + ":" + password(d)));
        admins.forEach(a -> passwords.add(a + ":" + password(a)));
        Files.write(dir.resolve("passwords.txt"), passwords);
        Path template = writeConfig(dir.resolve("ftpipe-extension.json"), dir.resolve("data"), devices, admins);
        Path out = dir.resolve("mosquitto-security");
        StringWriter said = new StringWriter();
        CommandLine cmd = new CommandLine(new FtpipeMain()).setErr(new PrintWriter(said)).setOut(new PrintWriter(said));
        List<String> args = new ArrayList<>(List.of("mosquitto-config", "--config", template.toString(), "--passwords",
                dir.resolve("passwords.txt").toString(), "--iterations", String.valueOf(PasswordHash.MIN_ITERATIONS),
                "--out", out.toString()));
        Path pluginConfig = dir.resolve("dynamic-security").resolve("dynamic-security.json");
        if (editPluginConfig != null) {
            args.addAll(List.of("--dynamic-security", pluginConfig.toString()));
        }
        int exit = cmd.execute(args.toArray(String[]::new));
        if (exit != 0) {
            throw new IllegalStateException("ftpipe mosquitto-config failed (" + exit + "): " + said);
        }
        if (editPluginConfig != null) {
            editPluginConfig.accept(pluginConfig);
        }
        MosquittoConf conf = MosquittoConf.open(FreePort.find())
                .withExtra(Files.readAllLines(out.resolve(MosquittoSecurityFiles.CONF)));
        MosquittoProcess broker = MosquittoProcess.start(dir.resolve("mosquitto"), conf);
        return new MosquittoSite(dir, broker, List.copyOf(devices), List.copyOf(admins), editPluginConfig != null);
    }

    /**
     * Writes a central node's {@code ftpipe-extension.json}: its data folder, a short heartbeat
     * timeout, no CoAP API, and the security section with every account.
     */
    Path centralConfig(Path file, Path dataDir) throws Exception {
        return writeConfig(file, dataDir, devices, admins);
    }

    private static Path writeConfig(Path file, Path dataDir, List<String> devices, List<String> admins)
            throws Exception {
        SecureRandom random = new SecureRandom();
        List<String> deviceEntries = devices.stream().map(d -> "{\"id\": \"" + d + "\", \"passwordHash\": \""
                + hash(d, random) + "\"}").toList();
        List<String> clientEntries = admins.stream().map(a -> "{\"username\": \"" + a + "\", \"role\": \"admin\", "
                + "\"passwordHash\": \"" + hash(a, random) + "\"}").toList();
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"dataDir\": \"" + dataDir.toAbsolutePath() + "\", \"heartbeatTimeoutMillis\": 3000, "
                + "\"coapPort\": 0, \"security\": {\"enabled\": true, \"devices\": [" + String.join(", ", deviceEntries)
                + "], \"clients\": [" + String.join(", ", clientEntries) + "]}}");
        return file;
    }

    private static String hash(String user, SecureRandom random) {
        return PasswordHash.create(password(user).toCharArray(), PasswordHash.MIN_ITERATIONS, random).toString();
    }

    ExtensionConfig readCentralConfig(Path file) throws Exception {
        return new ExtensionConfigReader().read(file);
    }

    String url() {
        return broker.url();
    }

    int port() {
        return broker.port();
    }

    /** How the central node connects: its own account, a persistent session, driving the plugin if there is one. */
    BrokerConnection centralConnection() {
        return new BrokerConnection(url(), CENTRAL, CENTRAL, password(CENTRAL), null, null, null, null,
                BrokerConnection.DEFAULT_SESSION_EXPIRY_SECONDS, BrokerConnection.DEFAULT_KEEP_ALIVE_SECONDS,
                BrokerConnection.DEFAULT_CONNECT_TIMEOUT_SECONDS, dynamicSecurity);
    }

    /** A client of account {@code user} on this broker, connected, what it is delivered going to {@code callback}. */
    MqttClient connect(String user, MqttCallback callback) throws MqttException {
        MqttClient client = new MqttClient(url(), user, new MemoryPersistence());
        client.setCallback(callback);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(user);
        options.setPassword(password(user).getBytes(StandardCharsets.UTF_8));
        client.connect(options);
        return client;
    }

    /** A device's flags: this broker, its own account. */
    Map<String, String> deviceFlags(String id) {
        return Map.of("--broker-url", url(), "--username", id, "--password", password(id));
    }

    @Override
    public void close() throws InterruptedException {
        broker.close();
    }
}
