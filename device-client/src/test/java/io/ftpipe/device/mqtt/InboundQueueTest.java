package io.ftpipe.device.mqtt;

import io.ftpipe.protocol.Topics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class InboundQueueTest {
    private static final String FORWARD = Topics.stage("j", 1, Topics.FORWARD);
    private static final String BACKWARD = Topics.stage("j", 1, Topics.BACKWARD);
    private static final String LABELS = Topics.stage("j", 1, Topics.LABELS);
    private static final String COMMAND = Topics.device("d1", Topics.COMMAND);

    private static List<String> order(String... topics) {
        InboundQueue q = new InboundQueue();
        for (int i = 0; i < topics.length; i++) {
            q.add(new InboundQueue.Arrival(topics[i], new byte[]{(byte) i}, i));
        }
        List<String> out = new ArrayList<>();
        InboundQueue.Arrival a;
        while ((a = q.next()) != null) {
            out.add(a.payload()[0] + ":" + Topics.leaf(a.topic()));
        }
        assertTrue(q.isEmpty());
        return out;
    }

    @Test
    void aGradientGoesAheadOfForwardsAndLabelsQueuedBeforeIt() {
        assertEquals(List.of("3:backward", "0:forward", "1:labels", "2:forward", "4:forward"),
                order(FORWARD, LABELS, FORWARD, BACKWARD, FORWARD));
    }

    @Test
    void neverAheadOfACommand() {
        assertEquals(List.of("0:forward", "1:cmd", "3:backward", "2:forward"),
                order(FORWARD, COMMAND, FORWARD, BACKWARD));
    }

    @Test
    void otherwiseArrivalOrder() {
        assertEquals(List.of("0:forward", "1:forward", "2:cmd", "3:backward", "4:backward"),
                order(FORWARD, FORWARD, COMMAND, BACKWARD, BACKWARD));
    }
}
