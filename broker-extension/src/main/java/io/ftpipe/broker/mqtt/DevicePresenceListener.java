package io.ftpipe.broker.mqtt;

import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationFailedInput;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ClientInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionLostInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ServerInitiatedDisconnectInput;
import io.ftpipe.broker.PresenceHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns HiveMQ's client lifecycle events into {@link PresenceHandler} calls.
 *
 * <p>The SDK's default methods route every specific disconnect to {@link #onDisconnect}; this
 * class overrides each one so the handler learns <em>how</em> the client went, which is what
 * failure detection needs (a lost connection is a failure, a DISCONNECT usually is not).
 */
public final class DevicePresenceListener implements ClientLifecycleEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(DevicePresenceListener.class);

    private final PresenceHandler handler;

    public DevicePresenceListener(PresenceHandler handler) {
        this.handler = handler;
    }

    @Override
    public void onMqttConnectionStart(ConnectionStartInput input) {
        // Not yet authenticated: a client counts as present only after onAuthenticationSuccessful.
    }

    @Override
    public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
        String clientId = input.getClientInformation().getClientId();
        guard("connect", clientId, () -> handler.onConnect(clientId));
    }

    @Override
    public void onAuthenticationFailedDisconnect(AuthenticationFailedInput input) {
        // Never reported as connected, so nothing to report as gone.
    }

    @Override
    public void onClientInitiatedDisconnect(ClientInitiatedDisconnectInput input) {
        disconnect(input, true);
    }

    @Override
    public void onServerInitiatedDisconnect(ServerInitiatedDisconnectInput input) {
        disconnect(input, false);
    }

    @Override
    public void onConnectionLost(ConnectionLostInput input) {
        String clientId = input.getClientInformation().getClientId();
        guard("connection lost", clientId, () -> handler.onConnectionLost(clientId));
    }

    /** Only reached for a disconnect kind a newer broker adds; report it as broker-initiated. */
    @Override
    public void onDisconnect(DisconnectEventInput input) {
        disconnect(input, false);
    }

    private void disconnect(DisconnectEventInput input, boolean clientInitiated) {
        String clientId = input.getClientInformation().getClientId();
        String reason = input.getReasonCode().map(Enum::name).orElse("");
        guard("disconnect", clientId, () -> handler.onDisconnect(clientId, clientInitiated, reason));
    }

    private static void guard(String event, String clientId, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("central node failed on {} of '{}'", event, clientId, e);
        }
    }
}
