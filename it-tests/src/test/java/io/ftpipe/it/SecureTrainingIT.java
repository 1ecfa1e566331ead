package io.ftpipe.it;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.configuration.ClientAccount;
import io.ftpipe.broker.configuration.DeviceAccount;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.Role;
import io.ftpipe.broker.configuration.SecurityConfig;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.broker.embedded.TlsListener;
import io.ftpipe.broker.security.PasswordHash;
import io.ftpipe.broker.security.TestCertificates;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training with security on: every device authenticated with its own password, connected over TLS
 * (ssl://, the broker's self-signed certificate in its truststore), under the access rules. The
 * rules must not break training: HiveMQ disconnects a client whose publish is refused, which the
 * central node would take for a failed device, so a job that completes with no recovery (and,
 * after a kill, with only the killed device counted failed) shows that no legitimate message
 * was refused, through term changes too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureTrainingIT {
    private static final List<String> DEVICES = List.of("sec-0", "sec-1", "sec-2");
    private static final OptimizerConfig ADAM = OptimizerConfig.adam(1e-3, 0);

    @TempDir
    static Path work;
    static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates tls = TestCertificates.create(Files.createDirectories(work.resolve("tls")));
        List<DeviceAccount> accounts = new ArrayList<>();
        for (String id : DEVICES) {
            // Few iterations keep the test fast; the helper's default is what production uses.
            accounts.add(new DeviceAccount(id, PasswordHash.create(password(id).toCharArray(), 1_000,
                    new SecureRandom())));
        }
        SecurityConfig security = new SecurityConfig(true, accounts, List.of(new ClientAccount("ops", Role.ADMIN,
                PasswordHash.create("ops-pw".toCharArray(), 1_000, new SecureRandom()))));
        Path brokerWork = work.resolve("broker");
        int tlsPort = FreePort.find();
        cluster = new Cluster(work, b -> b
                .extensionConfig(ExtensionConfig.defaults(brokerWork).withDataDir(brokerWork.resolve("central"))
                        .withCoap(0, ExtensionConfig.DEFAULT_COAP_BIND)
                        .withSecurity(security))
                .tlsListener(TlsListener.of(tlsPort, tls.keystore(), tls.password())));
        String url = cluster.broker.tlsServerUri().orElseThrow();
        cluster.startDevices(DEVICES, id -> Map.of("--broker-url", url, "--username", id, "--password", password(id),
                "--truststore", tls.truststore().toString(), "--truststore-password", tls.password()));
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    private static String password(String device) {
        return "pw-of-" + device;
    }

    private static JobSpec job(String id) {
        return new JobSpec(id, "cnn", 3, "1f1b", 32, 1, 1, ADAM, 3, 1_920, 0, JobSpec.SPEED_BLIND);
    }

    @Test
    @Order(1)
    void devicesConnectedOverTlsWithTheirPasswordsAndAnonymousClientsDoNot() throws Exception {
        for (String id : DEVICES) {
            String log = Files.readString(work.resolve("devices").resolve(id + ".log"));
            assertTrue(log.contains("'" + id + "' connected to ssl://"), id + ": " + log);
        }
        MqttClient anonymous = new MqttClient(cluster.broker.serverUri(), "anonymous", new MemoryPersistence());
        MqttException refused = assertThrows(MqttException.class, () -> anonymous.connect(new MqttConnectionOptions()));
        assertEquals(0x86, refused.getReasonCode());
        anonymous.close();
    }

    @Test
    @Order(2)
    void aJobTrainsUnderTheAccessRules() throws Exception {
        JobReport r = cluster.run(job("secure"));

        assertEquals(3, r.stages().size());
        assertEquals(List.of(), r.recoveries(), "no device was cut off: " + r.events());
        assertEquals(1_920, r.epochs().get(0).samples());
        assertTrue(r.testAccuracy() > 0.5, "accuracy " + r.testAccuracy());
    }

    /** A recovery moves stages to other devices: their new stage topics must open in time. */
    @Test
    @Order(3)
    void aRecoveryMovesStagesAndOnlyTheKilledDeviceIsLost() throws Exception {
        FaultAt kill = FaultAt.onStage(20, 1, devices -> cluster.kill(devices.get(0)));
        JobReport r = cluster.run(job("secure-recovery"), kill);
        String killed = kill.device();

        assertEquals(1, r.recoveries().size(), "one recovery: " + r.events());
        List<String> failed = r.recoveries().get(0).failed();
        assertEquals(1, failed.size(), "only the killed device: " + failed);
        assertTrue(failed.get(0).startsWith(killed + " "), failed.get(0));
        JobReport.Term last = r.terms().get(r.terms().size() - 1);
        assertFalse(last.devices().contains(killed));
        // The device of the old last stage (2) runs stage 0 or 1 now: it subscribed to topics it had
        // no right to before the recovery, and published to new neighbours.
        String formerLast = r.terms().get(0).stages().get(2).device();
        int now = last.stages().stream().filter(s -> s.device().equals(formerLast)).findFirst().orElseThrow().stage();
        assertNotEquals(2, now, "a stage moved: " + last);
        assertEquals(1_920, r.epochs().get(0).samples(), "every sample trained once");
    }
}
