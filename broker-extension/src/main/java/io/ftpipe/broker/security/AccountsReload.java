package io.ftpipe.broker.security;

import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.InvalidConfigurationException;
import io.ftpipe.broker.configuration.SecurityConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Takes the accounts of a changed configuration file into force: the whole file is read and
 * checked first, and a file that does not pass keeps the accounts in force (the log says why).
 * Only the accounts are taken; other settings, {@code security.enabled} among them, wait for the
 * next start (the log says so), because the listeners and the authenticator are set up once.
 */
public final class AccountsReload {
    private static final Logger LOG = LoggerFactory.getLogger(AccountsReload.class);

    /** Reads and checks the file again. */
    @FunctionalInterface
    public interface Source {
        ExtensionConfig read() throws InvalidConfigurationException;
    }

    private final Source source;
    private final ExtensionConfig started;
    private final LiveAccounts live;
    private final Consumer<Set<String>> disconnect;

    /**
     * @param started    the configuration the extension started with
     * @param disconnect ends the connections of these user names (those removed by a reload)
     */
    public AccountsReload(Source source, ExtensionConfig started, LiveAccounts live,
                          Consumer<Set<String>> disconnect) {
        this.source = source;
        this.started = started;
        this.live = live;
        this.disconnect = disconnect;
    }

    /** @return what changed, or empty when the file was refused (the old accounts stay) */
    public synchronized Optional<AccountsDiff> reload() {
        ExtensionConfig fresh;
        try {
            fresh = source.read();
        } catch (InvalidConfigurationException e) {
            LOG.warn("the accounts were not reloaded, the ones in force stay: {}", e.getMessage());
            return Optional.empty();
        }
        SecurityConfig security = fresh.security();
        if (security.enabled() != live.enabled()) {
            LOG.warn("security.enabled changed to {}: that takes effect at the next start; security stays {}",
                    security.enabled(), live.enabled() ? "on" : "off");
        }
        if (!fresh.withSecurity(started.security()).equals(started)) {
            LOG.warn("settings other than the accounts changed in the file: they take effect at the next start");
        }
        AccountsDiff diff;
        try {
            diff = live.replace(security);
        } catch (IllegalArgumentException e) {
            // Security stays on, so a file that turned it off and emptied the lists would lock everyone out.
            LOG.warn("the accounts were not reloaded, the ones in force stay: {}", e.getMessage());
            return Optional.empty();
        }
        if (diff.isEmpty()) {
            return Optional.of(diff);
        }
        LOG.info("accounts reloaded: {}", diff);
        if (live.enabled() && !diff.removed().isEmpty()) {
            disconnect.accept(diff.removed());
        }
        return Optional.of(diff);
    }
}
