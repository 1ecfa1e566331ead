package io.ftpipe.centralclient.mosquitto;

import io.ftpipe.broker.configuration.ClientAccount;
import io.ftpipe.broker.configuration.DeviceAccount;
import io.ftpipe.broker.configuration.Role;
import io.ftpipe.broker.configuration.SecurityConfig;
import io.ftpipe.broker.security.PasswordHash;

import java.security.SecureRandom;
import java.util.List;

/** Accounts of a security section for tests: each password is its user name reversed. */
public final class TestAccounts {
    private TestAccounts() {
    }

    public static String password(String user) {
        return new StringBuilder(user).reverse() + "-pw";
    }

    public static SecurityConfig of(List<String> devices, String monitor, String admin) {
        SecureRandom random = new SecureRandom();
        return new SecurityConfig(true,
                devices.stream().map(d -> new DeviceAccount(d, hash(d, random))).toList(),
                List.of(new ClientAccount(monitor, Role.MONITOR, hash(monitor, random)),
                        new ClientAccount(admin, Role.ADMIN, hash(admin, random))));
    }

    private static PasswordHash hash(String user, SecureRandom random) {
        return PasswordHash.create(password(user).toCharArray(), PasswordHash.MIN_ITERATIONS, random);
    }
}
