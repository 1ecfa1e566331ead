package io.ftpipe.centralclient.dynsec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ftpipe.broker.central.AssignedStage;
import io.ftpipe.protocol.Topics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynsecCommandsTest {
    private static final AssignedStage MIDDLE = new AssignedStage("j", 1, 3);
    private static final AssignedStage LAST_OF_TWO = new AssignedStage("j", 1, 2);

    private static List<String> lines(List<ObjectNode> commands) {
        return commands.stream().map(c -> c.get("command").asText() + " " + c.get("rolename").asText() + " "
                + c.get("acltype").asText() + " " + c.get("topic").asText()).toList();
    }

    @Test
    void nothingChangesNothingIsSent() {
        Map<String, SortedSet<DynsecAcl>> same = Map.of("a", DeviceAcls.of("a", List.of(MIDDLE)));
        assertEquals(List.of(), DynsecCommands.diff(same, same));
        assertEquals(Set.of(), DynsecCommands.changed(same, same));
    }

    @Test
    void aShorterPipelineTakesAwayOnlyTheTopicsOfTheStageThatIsGone() {
        Map<String, SortedSet<DynsecAcl>> before = Map.of("a", DeviceAcls.of("a", List.of(MIDDLE)),
                "b", DeviceAcls.of("b", List.of()));
        Map<String, SortedSet<DynsecAcl>> after = Map.of("a", DeviceAcls.of("a", List.of(LAST_OF_TWO)),
                "b", DeviceAcls.of("b", List.of()));
        List<String> commands = lines(DynsecCommands.diff(before, after));
        // Stage 1 of 2 keeps its own inputs, the backward into 0 and the progress; it loses the forward
        // and replica into stage 2, which no longer exists.
        assertEquals(List.of(
                "removeRoleACL ftpipe-device-a publishClientSend " + Topics.stage("j", 2, Topics.FORWARD),
                "removeRoleACL ftpipe-device-a publishClientSend " + Topics.stage("j", 2, Topics.REPLICA)), commands);
        assertEquals(Set.of("a"), DynsecCommands.changed(before, after));
    }

    @Test
    void aDeviceMovedToAnotherStageSwapsItsInputs() {
        Map<String, SortedSet<DynsecAcl>> before = Map.of("a", DeviceAcls.of("a", List.of(new AssignedStage("j", 0, 2))));
        Map<String, SortedSet<DynsecAcl>> after = Map.of("a", DeviceAcls.of("a", List.of(LAST_OF_TWO)));
        List<String> commands = lines(DynsecCommands.diff(before, after));
        int firstRemove = commands.indexOf(commands.stream().filter(c -> c.startsWith("remove")).findFirst().orElseThrow());
        assertTrue(commands.subList(0, firstRemove).stream().allMatch(c -> c.startsWith("addRoleACL")), commands.toString());
        assertTrue(commands.contains("addRoleACL ftpipe-device-a publishClientReceive " + Topics.stage("j", 1, Topics.LABELS)));
        assertTrue(commands.contains("addRoleACL ftpipe-device-a publishClientSend " + Topics.stage("j", 0, Topics.BACKWARD)));
        assertTrue(commands.contains("removeRoleACL ftpipe-device-a publishClientSend " + Topics.stage("j", 1, Topics.FORWARD)));
        assertTrue(commands.contains("removeRoleACL ftpipe-device-a publishClientReceive " + Topics.stage("j", 0, Topics.FORWARD)));
        assertTrue(commands.contains("removeRoleACL ftpipe-device-a subscribeLiteral " + Topics.stage("j", 0, Topics.FORWARD)));
    }

    @Test
    void aDeviceUnknownBeforeStartsFromAnEmptyRole() {
        Map<String, SortedSet<DynsecAcl>> after = Map.of("a", DeviceAcls.of("a", List.of()));
        assertEquals(after.get("a").size(), DynsecCommands.diff(Map.of(), after).size());
        assertTrue(DynsecCommands.diff(Map.of(), after).stream().allMatch(c -> c.get("command").asText().equals("addRoleACL")));
    }

    @Test
    void theMessageIsTheCommandsArrayThePluginReads() throws Exception {
        byte[] message = DynsecCommands.message(List.of(
                DynsecCommands.addAcl("r", new DynsecAcl(DynsecAcl.SEND, "t/1")),
                DynsecCommands.getRole("r", "why")));
        JsonNode root = new ObjectMapper().readTree(message);
        assertEquals("{\"command\":\"addRoleACL\",\"rolename\":\"r\",\"acltype\":\"publishClientSend\",\"topic\":\"t/1\","
                + "\"allow\":true}", root.get("commands").get(0).toString());
        assertEquals("{\"command\":\"getRole\",\"rolename\":\"r\",\"correlationData\":\"why\"}",
                root.get("commands").get(1).toString());
    }
}
