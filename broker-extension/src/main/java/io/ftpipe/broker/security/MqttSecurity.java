package io.ftpipe.broker.security;

import com.hivemq.extension.sdk.api.services.auth.SecurityRegistry;
import io.ftpipe.broker.central.AssignedStages;
import io.ftpipe.broker.configuration.SecurityConfig;

/**
 * Puts the {@code security} configuration in force in the broker: one authenticator and one
 * authorizer for all clients. Without it (security off) HiveMQ lets every client connect and do
 * anything, which is what tests, demos and benchmarks rely on.
 */
public final class MqttSecurity {
    private MqttSecurity() {
    }

    /**
     * @param assignments which stages each device runs now (the central node's view), read for
     *                    every publish and subscribe
     */
    public static void register(SecurityRegistry registry, SecurityConfig config, AssignedStages assignments) {
        if (!config.enabled()) {
            return;
        }
        MqttAuthenticator authenticator = new MqttAuthenticator(new Accounts(config));
        MqttAuthorizer authorizer = new MqttAuthorizer(assignments);
        registry.setAuthenticatorProvider(input -> authenticator);
        registry.setAuthorizerProvider(input -> authorizer);
    }
}
