package io.ftpipe.centralclient.dynsec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ftpipe.centralclient.mosquitto.MosquittoPasswordHash;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The dynamic-security plugin's first configuration file ({@code plugin_opt_config_file}), which
 * the plugin then keeps up to date itself: the central node's user as the plugin's administrator,
 * and each device as a client with a role of its own that allows only its hello, heartbeat, reply
 * and command topics ({@link DeviceAcls} with no stages). The central node adds and removes stage
 * topics in those roles at every term.
 *
 * <p>Everything the plugin does not allow it denies, delivery included: Mosquitto lets a message
 * through if the ACL file or the plugin allows it, and the plugin's out-of-the-box defaults allow
 * every delivery. Users without a client here (monitors, admins) are left to the password and ACL
 * files. Pure.
 */
public final class DynsecConfig {
    /** The central node's role: the control topic and its answers. */
    public static final String CENTRAL_ROLE = "ftpipe-central";
    private static final String CONTROL = "$CONTROL/dynamic-security/#";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DynsecConfig() {
    }

    /**
     * @param centralHash   the central node's password as a {@code $7$} hash (MosquittoPasswordHash)
     * @param deviceHashes  each device's {@code $7$} hash by id, in the order to write them
     */
    public static String json(String centralUser, String centralHash, Map<String, String> deviceHashes) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode defaults = root.putObject("defaultACLAccess");
        defaults.put(DynsecAcl.SEND, false);
        defaults.put(DynsecAcl.RECEIVE, false);
        defaults.put("subscribe", false);
        defaults.put("unsubscribe", true);
        ArrayNode clients = root.putArray("clients");
        ArrayNode roles = root.putArray("roles");
        clients.add(client(centralUser, "ftpipe central node", centralHash, CENTRAL_ROLE));
        roles.add(role(CENTRAL_ROLE, List.of(new DynsecAcl(DynsecAcl.SEND, CONTROL),
                new DynsecAcl(DynsecAcl.RECEIVE, CONTROL), new DynsecAcl(DynsecAcl.SUBSCRIBE_PATTERN, CONTROL))));
        deviceHashes.forEach((device, hash) -> {
            clients.add(client(device, "ftpipe device", hash, DeviceAcls.role(device)));
            roles.add(role(DeviceAcls.role(device), DeviceAcls.of(device, List.of())));
        });
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    private static ObjectNode client(String username, String textName, String hash, String role) {
        MosquittoPasswordHash.Parts p = MosquittoPasswordHash.parts(hash);
        ObjectNode c = JSON.createObjectNode().put("username", username).put("textname", textName)
                .put("password", p.hash()).put("salt", p.salt()).put("iterations", p.iterations());
        c.putArray("roles").addObject().put("rolename", role);
        return c;
    }

    private static ObjectNode role(String name, Collection<DynsecAcl> acls) {
        ObjectNode r = JSON.createObjectNode().put("rolename", name);
        ArrayNode array = r.putArray("acls");
        for (DynsecAcl a : acls) {
            array.addObject().put("acltype", a.type()).put("topic", a.topic()).put("allow", true);
        }
        return r;
    }
}
