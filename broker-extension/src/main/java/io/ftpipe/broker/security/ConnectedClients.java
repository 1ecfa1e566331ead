package io.ftpipe.broker.security;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which user name each MQTT client id was last let in with, so that a reload that removes an
 * account can end its connections (HiveMQ's client service knows client ids, not user names).
 * An entry of a client that has gone since is harmless: disconnecting it does nothing, and its
 * next connect overwrites the entry.
 */
final class ConnectedClients {
    private final Map<String, String> usernameByClientId = new ConcurrentHashMap<>();

    void accepted(String clientId, String username) {
        usernameByClientId.put(clientId, username);
    }

    List<String> clientIdsOf(Set<String> usernames) {
        return usernameByClientId.entrySet().stream().filter(e -> usernames.contains(e.getValue()))
                .map(Map.Entry::getKey).sorted().toList();
    }
}
