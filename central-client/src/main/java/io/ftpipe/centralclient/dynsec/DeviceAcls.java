package io.ftpipe.centralclient.dynsec;

import io.ftpipe.broker.central.AssignedStage;
import io.ftpipe.broker.security.AccessRules;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a device may do, as the ACLs of its own role in Mosquitto's dynamic-security plugin: the
 * topics the HiveMQ extension's {@link AccessRules} allow it for the stages it runs, so both
 * brokers enforce one rule. Each topic it may publish to is a {@link DynsecAcl#SEND}; each filter
 * it may subscribe to is a {@link DynsecAcl#SUBSCRIBE} and a {@link DynsecAcl#RECEIVE} (Mosquitto
 * 2.0 grants every subscription when an ACL file is loaded, so it is the delivery that is checked).
 * With no stages, a device keeps its own hello, heartbeat, reply and command topics. Pure.
 */
public final class DeviceAcls {
    /** A device's role is this and its id: the only role the central node changes. */
    public static final String ROLE_PREFIX = "ftpipe-device-";

    private DeviceAcls() {
    }

    public static String role(String device) {
        return ROLE_PREFIX + device;
    }

    /** The ACLs of {@code device}'s role while it runs {@code stages}. */
    public static SortedSet<DynsecAcl> of(String device, List<AssignedStage> stages) {
        SortedSet<DynsecAcl> acls = new TreeSet<>();
        for (String topic : AccessRules.devicePublishes(device, stages)) {
            acls.add(new DynsecAcl(DynsecAcl.SEND, topic));
        }
        for (String filter : AccessRules.deviceSubscribes(device, stages)) {
            acls.add(new DynsecAcl(DynsecAcl.SUBSCRIBE, filter));
            acls.add(new DynsecAcl(DynsecAcl.RECEIVE, filter));
        }
        return Collections.unmodifiableSortedSet(acls);
    }

    /** Every device's ACLs, by device id, from the stages {@code stagesOf} says each runs. */
    public static Map<String, SortedSet<DynsecAcl>> of(Collection<String> devices,
                                                       Function<String, List<AssignedStage>> stagesOf) {
        Map<String, SortedSet<DynsecAcl>> out = new TreeMap<>();
        for (String d : devices) {
            out.put(d, of(d, stagesOf.apply(d)));
        }
        return Collections.unmodifiableMap(out);
    }
}
