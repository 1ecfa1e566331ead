package io.ftpipe.centralclient.dynsec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynsecResponsesTest {
    /** What Debian's mosquitto 2.0.11 answered to a getRole of a role that exists and of one that does not. */
    private static final String ANSWER = "{\"responses\":[{\"command\":\"getRole\",\"data\":{\"role\":{\"rolename\":"
            + "\"st-dev1\",\"acls\":[{\"acltype\":\"publishClientSend\",\"topic\":\"ftpipe/v1/jobs/j/stages/2/forward\","
            + "\"priority\":0,\"allow\":true},{\"acltype\":\"publishClientSend\",\"topic\":\"x\",\"priority\":0,"
            + "\"allow\":false}]}},\"correlationData\":\"dev1\"},{\"command\":\"getRole\",\"error\":\"Role not found\","
            + "\"correlationData\":\"zz\"},{\"command\":\"addRoleACL\"}]}";

    @Test
    void answersCarryTheirCommandErrorAndCorrelation() {
        List<DynsecResponses.Response> r = DynsecResponses.parse(ANSWER.getBytes(StandardCharsets.UTF_8));
        assertEquals(3, r.size());
        assertFalse(r.get(0).failed());
        assertEquals("dev1", r.get(0).correlation());
        assertTrue(r.get(1).failed());
        assertEquals("Role not found", r.get(1).error());
        assertEquals("addRoleACL", r.get(2).command());
        assertNull(r.get(2).correlation());
    }

    @Test
    void aRolesAllowingAclsAreRead() {
        DynsecResponses.Response role = DynsecResponses.parse(ANSWER.getBytes(StandardCharsets.UTF_8)).get(0);
        assertEquals(Set.of(new DynsecAcl(DynsecAcl.SEND, "ftpipe/v1/jobs/j/stages/2/forward")),
                DynsecResponses.roleAcls(role));
    }

    @Test
    void somethingElseIsOneClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DynsecResponses.parse("{\"x\": 1}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("no responses array"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DynsecResponses.parse("nope".getBytes(StandardCharsets.UTF_8)));
    }
}
