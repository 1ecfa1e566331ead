package io.ftpipe.centralclient.dynsec;

import java.util.Comparator;
import java.util.Objects;

/**
 * One ACL of a role of Mosquitto's dynamic-security plugin: {@code type} is allowed on
 * {@code topic}. ftpipe's roles only allow; what no ACL allows, the plugin's default denies.
 */
public record DynsecAcl(String type, String topic) implements Comparable<DynsecAcl> {
    /** The device may publish to the topic. */
    public static final String SEND = "publishClientSend";
    /** The device may be delivered messages of the topic. */
    public static final String RECEIVE = "publishClientReceive";
    /** The device may subscribe to exactly this filter. */
    public static final String SUBSCRIBE = "subscribeLiteral";
    /** The device may subscribe to filters this filter matches. */
    public static final String SUBSCRIBE_PATTERN = "subscribePattern";

    private static final Comparator<DynsecAcl> ORDER = Comparator.comparing(DynsecAcl::topic)
            .thenComparing(DynsecAcl::type);

    public DynsecAcl {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(topic, "topic");
    }

    /** By topic, then type: commands and files come out in the same order every time. */
    @Override
    public int compareTo(DynsecAcl o) {
        return ORDER.compare(this, o);
    }
}
