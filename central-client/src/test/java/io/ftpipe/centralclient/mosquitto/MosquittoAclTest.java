package io.ftpipe.centralclient.mosquitto;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MosquittoAclTest {
    private final String acl = MosquittoAcl.text(TestAccounts.of(List.of("gw-1"), "grafana", "ops"), "central");

    private String block(String user) {
        int start = acl.indexOf("user " + user + "\n");
        int end = acl.indexOf("\n\n", start);
        return acl.substring(start, end < 0 ? acl.length() : end);
    }

    @Test
    void aDeviceWritesOnlyItsOwnDeviceTopicsAndNoLabelsStatusOrPlans() {
        String d = block("gw-1");
        assertTrue(d.contains("topic write ftpipe/v1/devices/gw-1/hello\n"));
        assertTrue(d.contains("topic write ftpipe/v1/devices/gw-1/reply\n"));
        assertTrue(d.contains("topic read ftpipe/v1/devices/gw-1/cmd\n"));
        assertTrue(d.contains("topic read ftpipe/v1/jobs/+/stages/+/labels\n"));
        assertTrue(d.contains("topic read ftpipe/v1/events/central\n"));
        assertFalse(d.contains("devices/+"), "no other device's topics");
        assertFalse(d.contains("write ftpipe/v1/devices/gw-1/cmd"), "commands come from the central node");
        assertFalse(d.contains("status") || d.contains("/plan") || d.contains("#"), d);
    }

    @Test
    void monitorsAndAdminsOnlyReadAndTheCentralNodeDoesEverything() {
        assertFalse(block("grafana").contains("write"));
        assertFalse(block("ops").contains("write"));
        assertTrue(block("ops").contains("topic read ftpipe/v1/#"));
        assertTrue(block("central").contains("topic readwrite ftpipe/v1/#"));
    }

    @Test
    void withTheDynamicSecurityPluginADeviceHasNoStageTopicInTheFile() {
        String narrowed = MosquittoAcl.text(TestAccounts.of(List.of("gw-1"), "grafana", "ops"), "central", true);
        String d = narrowed.substring(narrowed.indexOf("user gw-1\n"), narrowed.indexOf("\n\n",
                narrowed.indexOf("user gw-1\n")));
        assertTrue(d.contains("topic write ftpipe/v1/devices/gw-1/heartbeat\n"), d);
        assertTrue(d.contains("topic read ftpipe/v1/devices/gw-1/cmd\n"), d);
        assertTrue(d.contains("topic read ftpipe/v1/events/central"), d);
        assertFalse(d.contains("stages") || d.contains("progress"), "the plugin grants those, stage by stage: " + d);
        assertTrue(narrowed.contains("topic readwrite ftpipe/v1/#"), "the central node's rights stay");
    }
}
