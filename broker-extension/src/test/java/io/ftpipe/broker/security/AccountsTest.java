package io.ftpipe.broker.security;

import io.ftpipe.broker.configuration.ClientAccount;
import io.ftpipe.broker.configuration.DeviceAccount;
import io.ftpipe.broker.configuration.Role;
import io.ftpipe.broker.configuration.SecurityConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountsTest {
    private static final Accounts ACCOUNTS = new Accounts(new SecurityConfig(true,
            List.of(new DeviceAccount("gw-1", hash("dev-pw"))),
            List.of(new ClientAccount("ops", Role.ADMIN, hash("ops-pw")),
                    new ClientAccount("grafana", Role.MONITOR, hash("mon-pw")))));

    static PasswordHash hash(String password) {
        return PasswordHash.create(password.toCharArray(), 1_000, new SecureRandom());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aDeviceWithItsPasswordAndItsIdAsClientIdIsIn() {
        Accounts.Outcome o = ACCOUNTS.authenticate("gw-1", "gw-1", utf8("dev-pw"));
        assertEquals(new Accounts.Accepted(Principal.device("gw-1")), o);
    }

    @Test
    void clientsGetTheirRole() {
        assertEquals(new Accounts.Accepted(new Principal(Principal.Kind.ADMIN, "ops")),
                ACCOUNTS.authenticate("ops-console", "ops", utf8("ops-pw")));
        assertEquals(new Accounts.Accepted(new Principal(Principal.Kind.MONITOR, "grafana")),
                ACCOUNTS.authenticate("grafana-1", "grafana", utf8("mon-pw")));
    }

    @Test
    void anonymousClientsAreRefused() {
        assertEquals(Accounts.Reason.NO_CREDENTIALS, refused(ACCOUNTS.authenticate("x", null, null)));
        assertEquals(Accounts.Reason.NO_CREDENTIALS, refused(ACCOUNTS.authenticate("gw-1", "gw-1", null)));
    }

    @Test
    void wrongPasswordsAndUnknownUsersAreRefusedAlike() {
        assertEquals(Accounts.Reason.BAD_CREDENTIALS, refused(ACCOUNTS.authenticate("gw-1", "gw-1", utf8("nope"))));
        assertEquals(Accounts.Reason.BAD_CREDENTIALS, refused(ACCOUNTS.authenticate("gw-9", "gw-9", utf8("dev-pw"))));
        assertEquals(Accounts.Reason.BAD_CREDENTIALS, refused(ACCOUNTS.authenticate("gw-1", "ops", utf8("dev-pw"))),
                "one account's password does not open another");
    }

    @Test
    void aDeviceMustUseItsIdAsClientIdAndNobodyElseMay() {
        assertEquals(Accounts.Reason.CLIENT_ID, refused(ACCOUNTS.authenticate("gw-2", "gw-1", utf8("dev-pw"))),
                "a device speaking as another");
        assertEquals(Accounts.Reason.CLIENT_ID, refused(ACCOUNTS.authenticate("gw-1", "grafana", utf8("mon-pw"))),
                "a monitor taking over a device's session");
    }

    @Test
    void checkIsThePasswordTestAlone() {
        assertEquals(Principal.Kind.ADMIN, ACCOUNTS.check("ops", utf8("ops-pw")).orElseThrow().kind());
        assertTrue(ACCOUNTS.check("ops", utf8("x")).isEmpty());
        assertTrue(ACCOUNTS.check("nobody", utf8("ops-pw")).isEmpty());
    }

    private static Accounts.Reason refused(Accounts.Outcome o) {
        return assertInstanceOf(Accounts.Refused.class, o).reason();
    }
}
