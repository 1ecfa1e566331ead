package io.ftpipe.broker.security;

import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import io.ftpipe.broker.central.AssignedStages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HiveMQ's side of {@link AccessRules}, called for every PUBLISH and every subscription of every
 * client: it looks up who the connection is (as {@link MqttAuthenticator} stored it) and which
 * stages that device runs now, and allows or refuses. Every call decides (never "next extension
 * or default"), so HiveMQ's default permissions play no part.
 *
 * <p>What HiveMQ CE 2025.5 then does (MqttSecurityBrokerTest asserts it): a refused PUBLISH is not
 * delivered, an MQTT 5 client gets PUBACK (QoS 1) with reason code 0x87 (Not authorized) and then a
 * DISCONNECT with 0x87; an MQTT 3 client is disconnected. The broker disconnects whatever the
 * authorizer asks for, so a legitimate device must never be refused: stages it just lost stay
 * publishable for a grace period ({@link AssignedStages#ofRecently}). A refused subscription is a
 * SUBACK with 0x87, and the client stays connected.
 */
final class MqttAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {
    private static final Logger LOG = LoggerFactory.getLogger(MqttAuthorizer.class);

    private final AssignedStages assignments;
    private final AtomicLong refusedPublishes = new AtomicLong();
    private final AtomicLong refusedSubscriptions = new AtomicLong();

    MqttAuthorizer(AssignedStages assignments) {
        this.assignments = assignments;
    }

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        PublishPacket publish = input.getPublishPacket();
        Optional<Principal> who = principal(input.getConnectionInformation());
        // Stages lost within the grace period still count: see AssignedStages#ofRecently.
        if (who.isPresent() && AccessRules.mayPublish(who.get(), publish.getTopic(), publish.getRetain(),
                who.get().kind() == Principal.Kind.DEVICE ? assignments.ofRecently(who.get().name()) : List.of())) {
            output.authorizeSuccessfully();
            return;
        }
        long n = refusedPublishes.incrementAndGet();
        LOG.warn("refused publish #{} by {} (client '{}') to {}{}", n, who.map(Principal::toString).orElse("?"),
                input.getClientInformation().getClientId(), publish.getTopic(), publish.getRetain() ? " (retained)" : "");
        output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "not authorized to publish to " + publish.getTopic());
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        String filter = input.getSubscription().getTopicFilter();
        Optional<Principal> who = principal(input.getConnectionInformation());
        if (who.isPresent() && AccessRules.maySubscribe(who.get(), filter,
                who.get().kind() == Principal.Kind.DEVICE ? assignments.of(who.get().name()) : List.of())) {
            output.authorizeSuccessfully();
            return;
        }
        long n = refusedSubscriptions.incrementAndGet();
        LOG.warn("refused subscription #{} by {} (client '{}') to {}", n, who.map(Principal::toString).orElse("?"),
                input.getClientInformation().getClientId(), filter);
        output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not authorized to subscribe to " + filter);
    }

    /** Absent only if the connection was not authenticated by us, which security-on never allows. */
    private static Optional<Principal> principal(ConnectionInformation connection) {
        return connection.getConnectionAttributeStore().getAsString(Principal.ATTRIBUTE).flatMap(Principal::decode);
    }
}
