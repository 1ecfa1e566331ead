package io.ftpipe.it;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.protocol.Topics;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/** Only devices that joined properly and are still there are planned; others never block a job. */
class DeviceSelectionIT {
    @TempDir
    Path work;

    @Test
    void leftAndSilentDevicesAreNotPlanned() throws Exception {
        try (Cluster cluster = new Cluster(work)) {
            List<String> ids = cluster.startDevices("sel-", 4);
            cluster.kill("sel-1");
            await().atMost(Duration.ofSeconds(20)).until(() -> !cluster.central().registry().alive(5000).contains("sel-1"));

            // Connected, but what it sends is no valid hello: it never joins.
            MqttClient silent = new MqttClient(cluster.broker.serverUri(), "sel-silent", new MemoryPersistence());
            silent.connect(new MqttConnectionOptions());
            silent.publish(Topics.device("sel-silent", Topics.HELLO), new byte[]{9, 9, 9}, 1, false);

            JobReport r = cluster.run(new JobSpec("selection", "mlp", 3, "gpipe", 32, 2, 1,
                    OptimizerConfig.sgd(0.05, 0.9, 0), 1, 128, 0));
            assertEquals(List.of("sel-0", "sel-2", "sel-3"), r.stages().stream().map(JobReport.Stage::device).toList());
            assertTrue(cluster.central().rejections().total() >= 1);
            silent.disconnect();
        }
    }
}
