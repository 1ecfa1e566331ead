package io.ftpipe.centralclient.mosquitto;

import io.ftpipe.broker.configuration.SecurityConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ftpipe.centralclient.mosquitto.TestAccounts.password;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PasswordListTest {
    private static final SecurityConfig SECURITY = TestAccounts.of(List.of("gw-1", "gw-2"), "grafana", "ops");

    private static List<String> lines(String... users) {
        List<String> out = new ArrayList<>(List.of("# comment", ""));
        for (String u : users) {
            out.add(u + ":" + password(u));
        }
        return out;
    }

    @Test
    void everyAccountsPasswordCheckedAgainstItsHash() {
        Map<String, char[]> checked = PasswordList.check(lines("central", "gw-1", "gw-2", "grafana", "ops"), SECURITY,
                "central");
        assertEquals(List.of("central", "gw-1", "gw-2", "grafana", "ops"), List.copyOf(checked.keySet()));
        assertEquals(password("gw-2"), new String(checked.get("gw-2")));
    }

    @Test
    void aWrongMissingOrStrangePasswordIsRefusedByName() {
        List<String> wrong = lines("central", "gw-1", "grafana", "ops");
        wrong.add("gw-2:guess");
        assertEquals("the password given for gw-2 is not the one its account's passwordHash was made from",
                error(wrong));
        assertEquals("no password for gw-2 (an account of the security section)",
                error(lines("central", "gw-1", "grafana", "ops")));
        assertEquals("no password for central (the central node's user (--central-user))",
                error(lines("gw-1", "gw-2", "grafana", "ops")));
        assertEquals("mallory has no account in the security section (nor is it the central node's user, central)",
                error(lines("central", "gw-1", "gw-2", "grafana", "ops", "mallory")));
        assertEquals("line 8: gw-1 is given twice", error(lines("central", "gw-1", "gw-2", "grafana", "ops", "gw-1")));
        assertEquals("line 3 is not username:password", error(List.of("#", "", "gw-1")));
    }

    private static String error(List<String> lines) {
        return assertThrows(IllegalArgumentException.class, () -> PasswordList.check(lines, SECURITY, "central"))
                .getMessage();
    }
}
