package io.ftpipe.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ftpipe.broker.central.AssignedStage;
import io.ftpipe.broker.central.JobDefaults;
import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.security.PasswordHash;
import io.ftpipe.centralclient.CentralClient;
import io.ftpipe.centralclient.dynsec.DeviceAcls;
import io.ftpipe.centralclient.dynsec.DynsecAcl;
import io.ftpipe.centralclient.mosquitto.MosquittoPasswordHash;
import io.ftpipe.centralclient.mqtt.OnMessage;
import io.ftpipe.protocol.Topics;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 24's last denial on Debian's mosquitto 2.0: a device publishing to another stage's forward,
 * backward or replica topic is refused, because the central node narrows each device to the topics
 * of its current stages through the broker's dynamic-security plugin
 * ({@code ftpipe mosquitto-config --dynamic-security}, {@code BrokerConnection#dynamicSecurity}),
 * and the narrowing follows the layout when a killed device makes the job re-plan. Training
 * completes, with only the killed device's recovery: the plugin disconnects a device whenever its
 * permissions change, which must not pass for a failure.
 *
 * <p>A device process cannot be made to misbehave, and a second connection on its account would
 * take its session over (the broker uses user names as client ids). So each device has a probe: a
 * plugin client of its own holding the device's role, and so the device's permissions at every
 * moment, that publishes with {@code mosquitto_pub}.
 */
class MosquittoDynamicSecurityIT {
    private static final int SAMPLES = 3_200;
    private static final int BATCH = 32;
    private static final List<String> DEVICES = List.of("n-0", "n-1", "n-2");
    private static final String PROBE = "probe-";
    private static final String SPY = "ops";
    private static final String FORGED = "forged";
    private static final String JOB = "narrowed";

    @TempDir
    static Path work;
    static MosquittoSite site;
    static DeviceFleet fleet;
    static CentralClient central;
    static MqttClient spy;
    static final List<String> delivered = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        site = MosquittoSite.startWithDynamicSecurity(work.resolve("site"), DEVICES, List.of(SPY),
                MosquittoDynamicSecurityIT::addProbes);
        fleet = new DeviceFleet(work.resolve("devices"), site::deviceFlags);
        Path config = site.centralConfig(work.resolve("central").resolve("ftpipe-extension.json"),
                work.resolve("central").resolve("data"));
        central = CentralClient.create(site.readCentralConfig(config), site.centralConnection()).connect();
        spy = site.connect(SPY, (OnMessage) (topic, m) -> delivered.add(topic + " " + new String(m.getPayload(),
                StandardCharsets.UTF_8)));
        spy.subscribe(new MqttSubscription[]{new MqttSubscription(Topics.ROOT + "/#", 1)});
    }

    @AfterAll
    static void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        if (spy != null) {
            if (spy.isConnected()) {
                spy.disconnect();
            }
            spy.close();
        }
        if (central != null) {
            central.close();
        }
        if (site != null) {
            site.close();
        }
    }

    /** A probe client for each device, holding that device's role, in the plugin's configuration. */
    private static void addProbes(Path pluginConfig) {
        try {
            ObjectMapper json = new ObjectMapper();
            ObjectNode root = (ObjectNode) json.readTree(Files.readString(pluginConfig));
            ArrayNode clients = (ArrayNode) root.get("clients");
            SecureRandom random = new SecureRandom();
            for (String d : DEVICES) {
                MosquittoPasswordHash.Parts p = MosquittoPasswordHash.parts(MosquittoPasswordHash.create(
                        MosquittoSite.password(PROBE + d).toCharArray(), PasswordHash.MIN_ITERATIONS, random));
                ObjectNode probe = clients.addObject().put("username", PROBE + d).put("password", p.hash())
                        .put("salt", p.salt()).put("iterations", p.iterations());
                probe.putArray("roles").addObject().put("rolename", DeviceAcls.role(d));
            }
            Files.writeString(pluginConfig, json.writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JobSpec job() {
        return new JobSpec(JOB, "cnn", 3, "1f1b", BATCH, 1, 1, OptimizerConfig.adam(JobDefaults.LR, 0), 7, 0,
                SAMPLES, JobSpec.SPEED_BLIND, new JobSpec.Replication(10, 20));
    }

    /** What {@code device}'s probe says publishing {@code payload} to {@code topic} at QoS 1. */
    private static MosquittoPub publish(String device, String topic, String payload) throws Exception {
        return MosquittoPub.run(site.port(), "-V", "mqttv5", "-q", "1", "-u", PROBE + device, "-P",
                MosquittoSite.password(PROBE + device), "-t", topic, "-m", payload);
    }

    private static void assertDenied(String device, String topic) throws Exception {
        MosquittoPub p = publish(device, topic, FORGED);
        // mosquitto_pub 2.0.11 reports the PUBACK's reason code (0x87) but exits 0.
        assertTrue(p.output().contains("Publish 1 failed: Not authorized"), device + " to " + topic + ": "
                + p.transcript());
    }

    private static void assertAllowed(String device, String topic, String payload) throws Exception {
        MosquittoPub p = publish(device, topic, payload);
        assertEquals(0, p.exitCode(), p.transcript());
        assertFalse(p.output().contains("failed"), device + " to " + topic + ": " + p.transcript());
    }

    private static Set<String> sends(String device, JobReport.Term term) {
        List<AssignedStage> stages = term.stages().stream().filter(s -> s.device().equals(device))
                .map(s -> new AssignedStage(JOB, s.stage(), term.stages().size())).toList();
        return DeviceAcls.of(device, stages).stream().filter(a -> a.type().equals(DynsecAcl.SEND))
                .map(DynsecAcl::topic).collect(Collectors.toSet());
    }

    /** Every stage's forward, backward and replica topic in a pipeline of {@code stages}. */
    private static List<String> stageTopics(int stages) {
        List<String> out = new ArrayList<>();
        for (int s = 0; s < stages; s++) {
            for (String leaf : List.of(Topics.FORWARD, Topics.BACKWARD, Topics.REPLICA)) {
                out.add(Topics.stage(JOB, s, leaf));
            }
        }
        return out;
    }

    @Test
    void eachDeviceIsNarrowedToItsStagesAtEveryTermAndTrainingCompletes() throws Exception {
        for (String d : DEVICES) {
            assertDenied(d, Topics.job(JOB, Topics.PROGRESS));
        }
        List<String> ids = fleet.start("n-", 3);
        await().atMost(Duration.ofSeconds(60)).until(() -> central.node().registry().alive(5000).containsAll(ids));
        BlockingQueue<JobReport.Term> terms = new LinkedBlockingQueue<>();
        CompletableFuture<JobReport> job = central.node().submit(job(), new JobListener() {
            @Override
            public void termStarted(JobReport.Term term) {
                terms.add(term);
            }
        });

        // The plugin's roles changed before the devices were told their stages, so they hold now.
        JobReport.Term first = terms.poll(3, TimeUnit.MINUTES);
        assertNotNull(first, "the job never started a term");
        int checked = 0;
        for (JobReport.Stage s : first.stages()) {
            Set<String> own = sends(s.device(), first);
            for (String topic : stageTopics(first.stages().size())) {
                if (!own.contains(topic)) {
                    assertDenied(s.device(), topic);
                    checked++;
                }
            }
            // Its job's progress topic is the device's only while it runs a stage of the job.
            assertAllowed(s.device(), Topics.job(JOB, Topics.PROGRESS), "probe " + s.device());
        }
        assertTrue(checked >= 3 * 6, "each device is denied most stage topics: " + checked);

        String killed = first.stages().get(1).device();
        fleet.kill(killed);
        JobReport.Term second = terms.poll(3, TimeUnit.MINUTES);
        assertNotNull(second, "no term after " + killed + " was killed");
        assertFalse(second.devices().contains(killed));
        int followed = 0;
        for (String survivor : second.devices()) {
            Set<String> before = sends(survivor, first);
            Set<String> after = sends(survivor, second);
            for (String lost : before.stream().filter(t -> !after.contains(t)).toList()) {
                assertDenied(survivor, lost);
                followed++;
            }
            for (String gained : after.stream().filter(t -> !before.contains(t)).toList()) {
                // Not a message its receiver decodes: it logs and drops it.
                assertAllowed(survivor, gained, "probe " + survivor);
                followed++;
            }
        }
        assertTrue(followed > 0, "the re-plan changed some survivor's topics: " + first + " then " + second);

        JobReport r = job.get(10, TimeUnit.MINUTES);
        assertEquals(1, r.recoveries().size(), "only the killed device failed, not those the plugin disconnected: "
                + r.events());
        assertTrue(r.recoveries().get(0).failed().get(0).startsWith(killed + " "), r.recoveries().toString());
        assertEquals(SAMPLES, r.epochs().get(0).samples(), "every sample trained once");
        assertEquals(0, r.duplicateMicroBatches());
        assertEquals(0, central.dynamicSecurityFailures(), "the plugin took every command");
        assertEquals(0, central.traffic().refused(), "the broker refused none of the central node's publishes");
        String brokerLog = Files.readString(site.dir.resolve("mosquitto").resolve("mosquitto.log"));
        for (String d : first.devices()) {
            assertTrue(brokerLog.contains("Client " + d + " been disconnected by administrative action"),
                    "the plugin disconnected " + d + " when its permissions changed, and that was no failure");
        }

        // The job is over: its topics are nobody's any more.
        assertDenied(second.devices().get(0), Topics.job(JOB, Topics.PROGRESS));
        // The spy reads everything delivered: the probes' allowed messages, none of the refused ones.
        String allowed = Topics.job(JOB, Topics.PROGRESS) + " probe " + first.stages().get(0).device();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains(allowed));
        assertEquals(List.of(), delivered.stream().filter(m -> m.endsWith(" " + FORGED)).toList(),
                "delivered although refused");
    }
}
