package io.ftpipe.centralclient.dynsec;

import io.ftpipe.broker.central.AssignedStage;
import io.ftpipe.protocol.Topics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceAclsTest {
    private static Set<String> of(SortedSet<DynsecAcl> acls, String type) {
        return acls.stream().filter(a -> a.type().equals(type)).map(DynsecAcl::topic).collect(Collectors.toSet());
    }

    @Test
    void withoutStagesADeviceKeepsOnlyItsOwnTopics() {
        SortedSet<DynsecAcl> acls = DeviceAcls.of("gw-1", List.of());
        assertEquals(Set.of(Topics.device("gw-1", Topics.HELLO), Topics.device("gw-1", Topics.HEARTBEAT),
                Topics.device("gw-1", Topics.REPLY)), of(acls, DynsecAcl.SEND));
        assertEquals(Set.of(Topics.device("gw-1", Topics.COMMAND)), of(acls, DynsecAcl.SUBSCRIBE));
        assertEquals(Set.of(Topics.device("gw-1", Topics.COMMAND)), of(acls, DynsecAcl.RECEIVE));
    }

    @Test
    void aMiddleStageSendsToItsNeighboursInputsAndReadsOnlyItsOwn() {
        SortedSet<DynsecAcl> acls = DeviceAcls.of("gw-1", List.of(new AssignedStage("j", 1, 3)));
        Set<String> send = of(acls, DynsecAcl.SEND);
        assertTrue(send.containsAll(Set.of(Topics.stage("j", 2, Topics.FORWARD), Topics.stage("j", 2, Topics.REPLICA),
                Topics.stage("j", 0, Topics.BACKWARD), Topics.job("j", Topics.PROGRESS))), send.toString());
        for (String other : List.of(Topics.stage("j", 0, Topics.FORWARD), Topics.stage("j", 1, Topics.FORWARD),
                Topics.stage("j", 2, Topics.BACKWARD), Topics.stage("j", 0, Topics.REPLICA),
                Topics.stage("j", 2, Topics.LABELS), Topics.device("gw-2", Topics.REPLY))) {
            assertFalse(send.contains(other), "may not send to " + other);
        }
        Set<String> in = Set.of(Topics.stage("j", 1, Topics.FORWARD), Topics.stage("j", 1, Topics.BACKWARD),
                Topics.stage("j", 1, Topics.LABELS), Topics.stage("j", 1, Topics.REPLICA),
                Topics.device("gw-1", Topics.COMMAND));
        assertEquals(in, of(acls, DynsecAcl.RECEIVE));
        assertEquals(in, of(acls, DynsecAcl.SUBSCRIBE));
    }

    @Test
    void theLastStageSendsNoForwardAndTheFirstNoBackward() {
        Set<String> last = of(DeviceAcls.of("d", List.of(new AssignedStage("j", 1, 2))), DynsecAcl.SEND);
        assertTrue(last.contains(Topics.stage("j", 0, Topics.BACKWARD)));
        assertTrue(last.stream().noneMatch(t -> t.endsWith("/" + Topics.FORWARD) || t.endsWith("/" + Topics.REPLICA)),
                last.toString());
        Set<String> first = of(DeviceAcls.of("d", List.of(new AssignedStage("j", 0, 2))), DynsecAcl.SEND);
        assertTrue(first.stream().noneMatch(t -> t.endsWith("/" + Topics.BACKWARD)), first.toString());
    }

    @Test
    void everyDeviceGetsItsOwnRoleFromItsOwnStages() {
        Map<String, SortedSet<DynsecAcl>> all = DeviceAcls.of(List.of("a", "b"),
                d -> d.equals("a") ? List.of(new AssignedStage("j", 0, 2)) : List.of());
        assertEquals(DeviceAcls.of("a", List.of(new AssignedStage("j", 0, 2))), all.get("a"));
        assertEquals(DeviceAcls.of("b", List.of()), all.get("b"));
        assertEquals("ftpipe-device-a", DeviceAcls.role("a"));
    }
}
