package io.ftpipe.broker.security;

/**
 * MQTT topic-filter arithmetic for the access rules. Pure functions.
 */
public final class TopicFilter {
    private TopicFilter() {
    }

    /**
     * True if every topic that {@code filter} can match is also matched by {@code pattern}: a
     * subscription to {@code filter} reads nothing that {@code pattern} does not allow. With a
     * plain topic as {@code filter}, this is whether {@code pattern} matches the topic.
     *
     * <p>{@code ftpipe/v1/jobs/+/status} covers {@code ftpipe/v1/jobs/j1/status} and itself, but
     * not {@code ftpipe/v1/jobs/#} or {@code ftpipe/v1/+/+/status}.
     */
    public static boolean covers(String pattern, String filter) {
        String[] p = pattern.split("/", -1);
        String[] f = filter.split("/", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals("#")) {
                return true;
            }
            if (i >= f.length || f[i].equals("#")) {
                return false;
            }
            if (p[i].equals("+")) {
                continue;
            }
            if (!p[i].equals(f[i])) {
                // Also when f[i] is "+": the filter reaches levels the pattern does not allow.
                return false;
            }
        }
        return f.length == p.length;
    }
}
