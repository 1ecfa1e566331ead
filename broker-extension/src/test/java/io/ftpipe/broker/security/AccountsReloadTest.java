package io.ftpipe.broker.security;

import io.ftpipe.broker.configuration.ClientAccount;
import io.ftpipe.broker.configuration.DeviceAccount;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.InvalidConfigurationException;
import io.ftpipe.broker.configuration.Role;
import io.ftpipe.broker.configuration.SecurityConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reload's decisions, without a broker: what changed, what is disconnected, what is refused. */
class AccountsReloadTest {
    private static final PasswordHash A = hash("a");
    private static final PasswordHash B = hash("b");

    private static PasswordHash hash(String password) {
        return PasswordHash.create(password.toCharArray(), 1_000, new SecureRandom());
    }

    private static SecurityConfig security(DeviceAccount... devices) {
        return new SecurityConfig(true, List.of(devices), List.of(new ClientAccount("ops", Role.ADMIN, A)));
    }

    @Test
    void theDiffNamesAddedRemovedAndChangedAccounts() {
        SecurityConfig before = security(new DeviceAccount("gw-1", A), new DeviceAccount("gw-2", A));
        SecurityConfig after = new SecurityConfig(true, List.of(new DeviceAccount("gw-1", B),
                new DeviceAccount("gw-3", A)), List.of(new ClientAccount("ops", Role.MONITOR, A),
                new ClientAccount("gw-2", Role.ADMIN, A)));
        AccountsDiff diff = AccountsDiff.between(before, after);
        assertEquals(Set.of("gw-3"), diff.added());
        assertEquals(Set.of("gw-2"), diff.removed(), "a device turned client must go too");
        assertEquals(Set.of("gw-1", "ops"), diff.changed());
        assertTrue(AccountsDiff.between(before, before).isEmpty());
    }

    @Test
    void aBadFileOrOneThatLocksEveryoneOutKeepsTheAccountsAndDisconnectsNobody() {
        ExtensionConfig started = ExtensionConfig.defaults(Path.of("/tmp")).withSecurity(security(
                new DeviceAccount("gw-1", A)));
        LiveAccounts live = new LiveAccounts(started.security());
        List<Set<String>> disconnected = new ArrayList<>();
        AtomicReference<Object> next = new AtomicReference<>(new InvalidConfigurationException("f: bad"));
        AccountsReload reload = new AccountsReload(() -> {
            if (next.get() instanceof InvalidConfigurationException e) {
                throw e;
            }
            return (ExtensionConfig) next.get();
        }, started, live, disconnected::add);

        assertEquals(Optional.empty(), reload.reload());
        next.set(started.withSecurity(SecurityConfig.OFF));
        assertEquals(Optional.empty(), reload.reload(), "security stays on: empty lists would lock everyone out");
        assertTrue(live.get().named("gw-1").isPresent());
        assertEquals(List.of(), disconnected);

        next.set(started.withSecurity(security()));
        AccountsDiff diff = reload.reload().orElseThrow();
        assertEquals(Set.of("gw-1"), diff.removed());
        assertEquals(List.of(Set.of("gw-1")), disconnected);
        assertTrue(live.get().named("gw-1").isEmpty());
        assertTrue(live.enabled());
    }
}
