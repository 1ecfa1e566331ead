package io.ftpipe.broker.security;

import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.auth.SecurityRegistry;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import io.ftpipe.broker.central.AssignedStages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * Puts the {@code security} configuration in force in the broker: one authenticator and one
 * authorizer for all clients. Without it (security off) HiveMQ lets every client connect and do
 * anything, which is what tests, demos and benchmarks rely on.
 */
public final class MqttSecurity {
    private static final Logger LOG = LoggerFactory.getLogger(MqttSecurity.class);

    private final ConnectedClients connected;
    private final ClientService clients;

    private MqttSecurity(ConnectedClients connected, ClientService clients) {
        this.connected = connected;
        this.clients = clients;
    }

    /**
     * @param accounts    read at every connect, so a reload takes effect at the next one
     * @param assignments which stages each device runs now (the central node's view), read for
     *                    every publish and subscribe
     */
    public static MqttSecurity register(SecurityRegistry registry, ClientService clients, LiveAccounts accounts,
                                        AssignedStages assignments) {
        ConnectedClients connected = new ConnectedClients();
        if (accounts.enabled()) {
            MqttAuthenticator authenticator = new MqttAuthenticator(accounts, connected);
            MqttAuthorizer authorizer = new MqttAuthorizer(assignments);
            registry.setAuthenticatorProvider(input -> authenticator);
            registry.setAuthorizerProvider(input -> authorizer);
        }
        return new MqttSecurity(connected, clients);
    }

    /**
     * Ends the connections that were let in as one of {@code usernames} (accounts a reload
     * removed). Their next connect is refused; a device's end counts as its failure.
     */
    public void disconnect(Set<String> usernames) {
        for (String clientId : connected.clientIdsOf(usernames)) {
            LOG.info("disconnecting client '{}': its account was removed", clientId);
            clients.disconnectClient(clientId, false, DisconnectReasonCode.NOT_AUTHORIZED, "account removed")
                    .whenComplete((done, error) -> {
                        if (error != null) {
                            LOG.warn("could not disconnect client '{}': {}", clientId, error.toString());
                        }
                    });
        }
    }
}
