package io.ftpipe.broker.security;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;

/**
 * HiveMQ's side of {@link Accounts#authenticate}, with the accounts in force at each connect: refuses anonymous clients, wrong passwords and
 * devices whose client id is not their user name, and remembers who each accepted connection is
 * for {@link MqttAuthorizer}. One instance serves every connection.
 *
 * <p>The check is synchronous: PBKDF2 is CPU work of a fraction of a second, once per connect,
 * not blocking I/O that would call for HiveMQ's async output.
 */
final class MqttAuthenticator implements SimpleAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(MqttAuthenticator.class);

    private final LiveAccounts accounts;
    private final ConnectedClients connected;

    MqttAuthenticator(LiveAccounts accounts, ConnectedClients connected) {
        this.accounts = accounts;
        this.connected = connected;
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        ConnectPacket connect = input.getConnectPacket();
        String clientId = connect.getClientId();
        Accounts.Outcome outcome = accounts.get().authenticate(clientId, connect.getUserName().orElse(null),
                connect.getPassword().map(MqttAuthenticator::bytes).orElse(null));
        if (outcome instanceof Accounts.Accepted accepted) {
            input.getConnectionInformation().getConnectionAttributeStore()
                    .putAsString(Principal.ATTRIBUTE, accepted.principal().encode());
            connected.accepted(clientId, accepted.principal().name());
            output.authenticateSuccessfully();
            return;
        }
        Accounts.Refused refused = (Accounts.Refused) outcome;
        LOG.warn("MQTT connect of client '{}' from {} refused: {}", clientId,
                input.getConnectionInformation().getInetAddress().map(Object::toString).orElse("?"), refused.message());
        // The client learns only the class of refusal, not whether the user name exists.
        switch (refused.reason()) {
            case CLIENT_ID -> output.failAuthentication(ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "a device's client id must be its user name");
            case NO_CREDENTIALS, BAD_CREDENTIALS -> output.failAuthentication(
                    ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
        }
    }

    /** The SDK's buffers are read-only and may be shared: copy without moving their position. */
    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }
}
