package io.ftpipe.centralclient.dynsec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The commands of the dynamic-security plugin's control topic ({@value #TOPIC}) that the central
 * node sends, and the one decision about them: which commands take the devices' roles from one set
 * of ACLs to the next ({@link #diff}). Pure.
 */
public final class DynsecCommands {
    /** Where the plugin takes commands, as {@code {"commands": [...]}}. */
    public static final String TOPIC = "$CONTROL/dynamic-security/v1";
    /** Where it answers, one {@code {"responses": [...]}} for each message of commands. */
    public static final String RESPONSE_TOPIC = TOPIC + "/response";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DynsecCommands() {
    }

    /**
     * What turns each device's role from {@code from} into {@code to}: for every device of
     * {@code to}, an {@code addRoleACL} for each ACL it gains, then a {@code removeRoleACL} for each
     * it loses. A device absent from {@code from} has an empty role; one absent from {@code to} is
     * left as it is. Nothing for a device whose ACLs stay.
     */
    public static List<ObjectNode> diff(Map<String, ? extends Set<DynsecAcl>> from,
                                        Map<String, ? extends Set<DynsecAcl>> to) {
        List<ObjectNode> out = new ArrayList<>();
        to.forEach((device, next) -> {
            Set<DynsecAcl> before = from.containsKey(device) ? from.get(device) : Set.of();
            String role = DeviceAcls.role(device);
            sorted(next).stream().filter(a -> !before.contains(a)).forEach(a -> out.add(addAcl(role, a)));
            sorted(before).stream().filter(a -> !next.contains(a)).forEach(a -> out.add(removeAcl(role, a)));
        });
        return out;
    }

    /** The devices of {@code to} whose ACLs differ from those in {@code from}: those the plugin disconnects. */
    public static SortedSet<String> changed(Map<String, ? extends Set<DynsecAcl>> from,
                                            Map<String, ? extends Set<DynsecAcl>> to) {
        SortedSet<String> out = new TreeSet<>();
        to.forEach((device, next) -> {
            if (!next.equals(from.containsKey(device) ? from.get(device) : Set.of())) {
                out.add(device);
            }
        });
        return out;
    }

    public static ObjectNode addAcl(String role, DynsecAcl acl) {
        return command("addRoleACL").put("rolename", role).put("acltype", acl.type()).put("topic", acl.topic())
                .put("allow", true);
    }

    public static ObjectNode removeAcl(String role, DynsecAcl acl) {
        return command("removeRoleACL").put("rolename", role).put("acltype", acl.type()).put("topic", acl.topic());
    }

    /** Asks for a role's ACLs; the answer carries {@code correlation} back. */
    public static ObjectNode getRole(String role, String correlation) {
        return command("getRole").put("rolename", role).put("correlationData", correlation);
    }

    /** A role with no ACLs. */
    public static ObjectNode createRole(String role) {
        return command("createRole").put("rolename", role);
    }

    public static ObjectNode addClientRole(String username, String role) {
        return command("addClientRole").put("username", username).put("rolename", role);
    }

    /** The payload of one message of {@code commands}, in their order. */
    public static byte[] message(List<ObjectNode> commands) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("commands");
        commands.forEach(array::add);
        try {
            return JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    private static ObjectNode command(String name) {
        return JSON.createObjectNode().put("command", name);
    }

    private static SortedSet<DynsecAcl> sorted(Set<DynsecAcl> acls) {
        return acls instanceof SortedSet<DynsecAcl> s ? s : new TreeSet<>(acls);
    }
}
