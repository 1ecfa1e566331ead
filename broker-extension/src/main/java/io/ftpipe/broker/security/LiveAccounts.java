package io.ftpipe.broker.security;

import io.ftpipe.broker.configuration.SecurityConfig;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The accounts in force now. Everything that checks a client (the MQTT authenticator, the CoAP
 * API, its DTLS key store, the dashboard) asks this at every check rather than keeping its own
 * copy, so a reload of the accounts file takes effect for the next connect, handshake or request.
 * Whether security is on is fixed for the run: turning it on or off needs a restart.
 */
public final class LiveAccounts implements Supplier<Accounts> {
    private final boolean enabled;
    private volatile SecurityConfig config;
    private volatile Accounts accounts;
    private final List<Consumer<Accounts>> listeners = new CopyOnWriteArrayList<>();

    public LiveAccounts(SecurityConfig config) {
        this.enabled = config.enabled();
        this.config = config;
        this.accounts = new Accounts(config);
    }

    /** Whether clients must authenticate (the {@code security.enabled} this run started with). */
    public boolean enabled() {
        return enabled;
    }

    @Override
    public Accounts get() {
        return accounts;
    }

    public SecurityConfig config() {
        return config;
    }

    /**
     * Puts {@code next} in force (its {@code enabled} is ignored, see the class) and tells the
     * listeners.
     *
     * @return what changed against the accounts in force before
     */
    public AccountsDiff replace(SecurityConfig next) {
        Objects.requireNonNull(next, "next");
        AccountsDiff diff;
        synchronized (this) {
            diff = AccountsDiff.between(config, next);
            config = next.withEnabled(enabled);
            accounts = new Accounts(config);
        }
        Accounts now = accounts;
        listeners.forEach(l -> l.accept(now));
        return diff;
    }

    /** Told of every replacement, after it took effect (the DTLS key store rebuilds itself). */
    public void onChange(Consumer<Accounts> listener) {
        listeners.add(listener);
    }
}
