package io.ftpipe.broker.security;

import io.ftpipe.broker.central.AssignedStage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ftpipe.broker.security.AccessRules.mayPublish;
import static io.ftpipe.broker.security.AccessRules.maySubscribe;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ACL decision, one test per kind of permission and per kind of denial. */
class AccessRulesTest {
    private static final Principal GW1 = Principal.device("gw-1");
    private static final Principal MONITOR = new Principal(Principal.Kind.MONITOR, "grafana");
    private static final Principal ADMIN = new Principal(Principal.Kind.ADMIN, "ops");
    /** gw-1 runs the middle stage of three of job j1. */
    private static final List<AssignedStage> MIDDLE = List.of(new AssignedStage("j1", 1, 3));
    private static final List<AssignedStage> NONE = List.of();

    @Test
    void aDevicePublishesItsOwnHelloHeartbeatAndReplyOnly() {
        for (String leaf : List.of("hello", "heartbeat", "reply")) {
            assertTrue(mayPublish(GW1, "ftpipe/v1/devices/gw-1/" + leaf, false, NONE), leaf);
        }
        assertFalse(mayPublish(GW1, "ftpipe/v1/devices/gw-1/cmd", false, NONE), "commands come from the central node");
        assertFalse(mayPublish(GW1, "ftpipe/v1/devices/gw-2/heartbeat", false, NONE), "another device's topic");
        assertFalse(mayPublish(GW1, "ftpipe/v1/devices/gw-1/other", false, NONE));
        assertFalse(mayPublish(GW1, "elsewhere", false, NONE));
    }

    @Test
    void aDevicePublishesItsNeighboursInputsAndTheJobsProgressWhileAssigned() {
        assertTrue(mayPublish(GW1, "ftpipe/v1/jobs/j1/stages/2/forward", false, MIDDLE));
        assertTrue(mayPublish(GW1, "ftpipe/v1/jobs/j1/stages/2/replica", false, MIDDLE));
        assertTrue(mayPublish(GW1, "ftpipe/v1/jobs/j1/stages/0/backward", false, MIDDLE));
        assertTrue(mayPublish(GW1, "ftpipe/v1/jobs/j1/progress", false, MIDDLE));
    }

    @Test
    void aDeviceMayNotPublishToStagesItIsNotNextTo() {
        assertFalse(mayPublish(GW1, "ftpipe/v1/jobs/j1/stages/1/forward", false, MIDDLE), "its own input");
        assertFalse(mayPublish(GW1, "ftpipe/v1/jobs/j1/stages/0/forward", false, MIDDLE), "data into stage 0");
        assertFalse(mayPublish(GW1, "ftpipe/v1/jobs/j1/stages/2/labels", false, MIDDLE), "labels");
        assertFalse(mayPublish(GW1, "ftpipe/v1/jobs/j1/stages/2/backward", false, MIDDLE));
        assertFalse(mayPublish(GW1, "ftpipe/v1/jobs/j2/stages/2/forward", false, MIDDLE), "another job");
        assertFalse(mayPublish(GW1, "ftpipe/v1/jobs/j1/status", false, MIDDLE), "status is the central node's");
        assertFalse(mayPublish(GW1, "ftpipe/v1/jobs/j1/stages/2/forward", false, NONE), "not assigned");
        assertFalse(mayPublish(GW1, "ftpipe/v1/jobs/j1/progress", false, NONE), "not assigned");
    }

    @Test
    void theFirstAndLastStagesHaveOneNeighbour() {
        List<AssignedStage> first = List.of(new AssignedStage("j1", 0, 2));
        List<AssignedStage> last = List.of(new AssignedStage("j1", 1, 2));

        assertTrue(mayPublish(GW1, "ftpipe/v1/jobs/j1/stages/1/forward", false, first));
        assertFalse(mayPublish(GW1, "ftpipe/v1/jobs/j1/stages/-1/backward", false, first));
        assertTrue(mayPublish(GW1, "ftpipe/v1/jobs/j1/stages/0/backward", false, last));
        assertFalse(mayPublish(GW1, "ftpipe/v1/jobs/j1/stages/2/forward", false, last), "no stage 2");
        assertFalse(mayPublish(GW1, "ftpipe/v1/jobs/j1/stages/2/replica", false, last), "its chain replica goes to its reply topic");
    }

    @Test
    void retainedAndWildcardPublishesAreRefused() {
        assertFalse(mayPublish(GW1, "ftpipe/v1/devices/gw-1/heartbeat", true, NONE),
                "a retained message would outlive the device");
        assertFalse(mayPublish(GW1, "ftpipe/v1/devices/+/heartbeat", false, NONE));
    }

    @Test
    void aDeviceSubscribesToItsCommandsAndItsOwnStageInputsOnly() {
        assertTrue(maySubscribe(GW1, "ftpipe/v1/devices/gw-1/cmd", NONE));
        for (String leaf : List.of("forward", "backward", "labels", "replica")) {
            assertTrue(maySubscribe(GW1, "ftpipe/v1/jobs/j1/stages/1/" + leaf, MIDDLE), leaf);
        }
        assertFalse(maySubscribe(GW1, "ftpipe/v1/devices/gw-2/cmd", NONE), "another device's commands");
        assertFalse(maySubscribe(GW1, "ftpipe/v1/jobs/j1/stages/2/forward", MIDDLE), "another stage");
        assertFalse(maySubscribe(GW1, "ftpipe/v1/jobs/j1/stages/1/forward", NONE), "not assigned");
        assertFalse(maySubscribe(GW1, "ftpipe/v1/jobs/j1/stages/+/forward", MIDDLE), "wildcards");
        assertFalse(maySubscribe(GW1, "ftpipe/v1/devices/gw-1/#", NONE), "wildcards");
        assertFalse(maySubscribe(GW1, "ftpipe/v1/jobs/j1/status", MIDDLE));
    }

    @Test
    void aMonitorReadsStatusAndHeartbeatsAndPublishesNothing() {
        assertTrue(maySubscribe(MONITOR, "ftpipe/v1/jobs/+/status", NONE));
        assertTrue(maySubscribe(MONITOR, "ftpipe/v1/jobs/j1/status", NONE));
        assertTrue(maySubscribe(MONITOR, "ftpipe/v1/devices/+/heartbeat", NONE));
        assertTrue(maySubscribe(MONITOR, "ftpipe/v1/jobs/+/plan", NONE));
        assertTrue(maySubscribe(MONITOR, "ftpipe/v1/status/devices", NONE));
        assertTrue(maySubscribe(MONITOR, "ftpipe/v1/events/devices", NONE));
        assertFalse(maySubscribe(MONITOR, "ftpipe/v1/jobs/#", NONE), "would include tensors");
        assertFalse(maySubscribe(MONITOR, "ftpipe/v1/devices/gw-1/cmd", NONE));
        assertFalse(maySubscribe(MONITOR, "#", NONE));
        assertFalse(mayPublish(MONITOR, "ftpipe/v1/devices/gw-1/cmd", false, NONE), "no commands");
        assertFalse(mayPublish(MONITOR, "ftpipe/v1/jobs/j1/status", false, NONE), "no status");
    }

    @Test
    void anAdminReadsEveryFtpipeTopicAndPublishesNothing() {
        assertTrue(maySubscribe(ADMIN, "ftpipe/v1/#", NONE));
        assertTrue(maySubscribe(ADMIN, "ftpipe/v1/jobs/j1/stages/0/forward", NONE));
        assertFalse(maySubscribe(ADMIN, "#", NONE), "only ftpipe's topics");
        assertFalse(mayPublish(ADMIN, "ftpipe/v1/devices/gw-1/cmd", false, NONE), "commands go through the central node");
    }

    @Test
    void sharedAndSystemSubscriptionsAreRefusedForEveryone() {
        assertFalse(maySubscribe(ADMIN, "$share/g/ftpipe/v1/jobs/j1/status", NONE));
        assertFalse(maySubscribe(MONITOR, "$share/g/ftpipe/v1/jobs/+/status", NONE));
        assertFalse(maySubscribe(GW1, "$share/g/ftpipe/v1/devices/gw-1/cmd", NONE));
        assertFalse(maySubscribe(ADMIN, "$SYS/#", NONE));
    }
}
