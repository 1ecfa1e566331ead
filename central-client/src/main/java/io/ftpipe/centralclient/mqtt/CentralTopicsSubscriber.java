package io.ftpipe.centralclient.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Subscribes the central node to its topics ({@link CentralSubscriptions#FILTERS}) after every
 * connect: a broker that kept the session keeps them anyway, but one that restarted without
 * persistence, or whose session expired, has forgotten them.
 */
final class CentralTopicsSubscriber {
    private CentralTopicsSubscriber() {
    }

    /** @throws IOException if the broker refuses a subscription (its ACLs do not let the node read devices) */
    static void subscribe(MqttAsyncClient client, int timeoutSeconds) throws MqttException, IOException {
        List<MqttSubscription> subs = new ArrayList<>();
        for (String filter : CentralSubscriptions.FILTERS) {
            MqttSubscription s = new MqttSubscription(filter, 1);
            // Never the node's own publishes back (none match today; this keeps it so).
            s.setNoLocal(true);
            subs.add(s);
        }
        IMqttToken token = client.subscribe(subs.toArray(MqttSubscription[]::new), null, null, new MqttProperties());
        token.waitForCompletion(TimeUnit.SECONDS.toMillis(timeoutSeconds));
        int[] codes = token.getReasonCodes();
        for (int i = 0; i < subs.size(); i++) {
            int code = codes != null && i < codes.length ? codes[i] : 0;
            if (code >= PahoCodes.FIRST_FAILURE) {
                throw new IOException("the broker refused the central node's subscription to "
                        + subs.get(i).getTopic() + " (" + PahoCodes.hex(code) + "): its ACLs must let the central "
                        + "node's user read ftpipe/v1/devices/+/{hello,heartbeat,reply} and ftpipe/v1/jobs/+/progress");
            }
        }
    }
}
