package io.ftpipe.centralclient.dynsec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Reads what the dynamic-security plugin answers on {@value DynsecCommands#RESPONSE_TOPIC}. Pure. */
public final class DynsecResponses {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The answer to one command.
     *
     * @param error       null when the command succeeded
     * @param correlation the command's {@code correlationData}, or null
     * @param data        what a query returned ({@code getRole}'s role), or null
     */
    public record Response(String command, String error, String correlation, JsonNode data) {
        public boolean failed() {
            return error != null;
        }
    }

    private DynsecResponses() {
    }

    /** @throws IllegalArgumentException if {@code payload} is not a JSON object with a {@code responses} array */
    public static List<Response> parse(byte[] payload) {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("a dynamic-security response is not JSON: " + e.getMessage(), e);
        }
        JsonNode responses = root == null ? null : root.get("responses");
        if (responses == null || !responses.isArray()) {
            throw new IllegalArgumentException("a dynamic-security response has no responses array: " + root);
        }
        List<Response> out = new ArrayList<>();
        for (JsonNode r : responses) {
            out.add(new Response(text(r, "command"), text(r, "error"), text(r, "correlationData"), r.get("data")));
        }
        return out;
    }

    /** The allowing ACLs of a {@code getRole} answer's role (a denying one is none of ftpipe's). */
    public static SortedSet<DynsecAcl> roleAcls(Response getRole) {
        SortedSet<DynsecAcl> out = new TreeSet<>();
        JsonNode acls = getRole.data() == null ? null : getRole.data().path("role").get("acls");
        if (acls != null) {
            for (JsonNode a : acls) {
                if (a.path("allow").asBoolean(false)) {
                    out.add(new DynsecAcl(a.path("acltype").asText(), a.path("topic").asText()));
                }
            }
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
