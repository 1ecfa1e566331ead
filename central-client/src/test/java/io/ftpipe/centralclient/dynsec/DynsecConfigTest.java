package io.ftpipe.centralclient.dynsec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ftpipe.centralclient.mosquitto.MosquittoPasswordHash;
import io.ftpipe.protocol.Topics;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynsecConfigTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static String hash(String password) {
        return MosquittoPasswordHash.create(password.toCharArray(), 101, RANDOM);
    }

    @Test
    void theCentralNodeAdministersThePluginAndEachDeviceHasOnlyItsOwnTopics() throws Exception {
        String centralHash = hash("c-pw");
        Map<String, String> devices = new LinkedHashMap<>();
        devices.put("gw-1", hash("pw-1"));
        devices.put("gw-2", hash("pw-2"));
        JsonNode root = new ObjectMapper().readTree(DynsecConfig.json("central", centralHash, devices));

        JsonNode defaults = root.get("defaultACLAccess");
        assertFalse(defaults.get("publishClientSend").asBoolean());
        assertFalse(defaults.get("publishClientReceive").asBoolean(), "deliveries denied unless a role allows them");
        assertFalse(defaults.get("subscribe").asBoolean());

        JsonNode central = root.get("clients").get(0);
        assertEquals("central", central.get("username").asText());
        MosquittoPasswordHash.Parts parts = MosquittoPasswordHash.parts(centralHash);
        assertEquals(parts.hash(), central.get("password").asText());
        assertEquals(parts.salt(), central.get("salt").asText());
        assertEquals(parts.iterations(), central.get("iterations").asInt());
        assertEquals(DynsecConfig.CENTRAL_ROLE, central.get("roles").get(0).get("rolename").asText());

        List<String> users = new ArrayList<>();
        root.get("clients").forEach(c -> users.add(c.get("username").asText()));
        assertEquals(List.of("central", "gw-1", "gw-2"), users);
        assertEquals(DeviceAcls.role("gw-2"), root.get("clients").get(2).get("roles").get(0).get("rolename").asText());

        JsonNode roles = root.get("roles");
        List<String> control = new ArrayList<>();
        roles.get(0).get("acls").forEach(a -> control.add(a.get("acltype").asText() + " " + a.get("topic").asText()));
        assertEquals(List.of("publishClientSend $CONTROL/dynamic-security/#",
                "publishClientReceive $CONTROL/dynamic-security/#", "subscribePattern $CONTROL/dynamic-security/#"),
                control);
        JsonNode gw1 = roles.get(1);
        assertEquals(DeviceAcls.role("gw-1"), gw1.get("rolename").asText());
        List<String> topics = new ArrayList<>();
        gw1.get("acls").forEach(a -> {
            assertTrue(a.get("allow").asBoolean());
            topics.add(a.get("topic").asText());
        });
        assertEquals(DeviceAcls.of("gw-1", List.of()).size(), topics.size());
        assertTrue(topics.stream().allMatch(t -> t.startsWith(Topics.DEVICES + "gw-1/")), topics.toString());
    }
}
