package io.ftpipe.broker.security;

import io.ftpipe.broker.configuration.ClientAccount;
import io.ftpipe.broker.configuration.DeviceAccount;
import io.ftpipe.broker.configuration.SecurityConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a reload of the accounts changed, by user name: a pure function of the two lists.
 *
 * @param added   names listed now and not before
 * @param removed names listed before and not now, or now of another kind (a device turned client):
 *                their connections must go, since they were let in as something they no longer are
 * @param changed names whose password, role or DTLS key changed: they take it at their next connect
 */
public record AccountsDiff(Set<String> added, Set<String> removed, Set<String> changed) {

    public static AccountsDiff between(SecurityConfig before, SecurityConfig after) {
        Map<String, Object> old = entries(before);
        Map<String, Object> now = entries(after);
        Set<String> added = new TreeSet<>();
        Set<String> removed = new TreeSet<>();
        Set<String> changed = new TreeSet<>();
        for (Map.Entry<String, Object> e : now.entrySet()) {
            Object was = old.get(e.getKey());
            if (was == null) {
                added.add(e.getKey());
            } else if (was.getClass() != e.getValue().getClass()) {
                removed.add(e.getKey());
            } else if (!Objects.equals(was, e.getValue())) {
                changed.add(e.getKey());
            }
        }
        old.keySet().stream().filter(name -> !now.containsKey(name)).forEach(removed::add);
        return new AccountsDiff(Set.copyOf(added), Set.copyOf(removed), Set.copyOf(changed));
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    private static Map<String, Object> entries(SecurityConfig config) {
        Map<String, Object> out = new HashMap<>();
        for (DeviceAccount d : config.devices()) {
            out.put(d.id(), d);
        }
        for (ClientAccount c : config.clients()) {
            out.put(c.username(), c);
        }
        return out;
    }

    @Override
    public String toString() {
        return "added " + new TreeSet<>(added) + ", removed " + new TreeSet<>(removed) + ", changed "
                + new TreeSet<>(changed);
    }
}
