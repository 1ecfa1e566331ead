package io.ftpipe.centralclient.mosquitto;

import io.ftpipe.broker.configuration.ClientAccount;
import io.ftpipe.broker.configuration.DeviceAccount;
import io.ftpipe.broker.configuration.SecurityConfig;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The passwords of the accounts, as a person gives them to {@code ftpipe mosquitto-config}: one
 * {@code username:password} a line (the first {@code :} separates). The extension keeps only
 * PBKDF2-SHA256 hashes, from which Mosquitto's PBKDF2-SHA512 hashes cannot be made, so the
 * passwords are needed once; each is checked against its account's hash, so the broker's file
 * and the extension's accounts cannot disagree.
 */
public final class PasswordList {
    private PasswordList() {
    }

    /**
     * Every account's password, and the central node's, by user name in the order of the accounts.
     *
     * @throws IllegalArgumentException naming the line or the user: a malformed or repeated line,
     *                                  a user without an account, a missing password, one that does
     *                                  not match its account's hash
     */
    public static Map<String, char[]> check(List<String> lines, SecurityConfig security, String centralUser) {
        Map<String, char[]> given = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not username:password");
            }
            String user = line.substring(0, colon);
            if (given.put(user, line.substring(colon + 1).toCharArray()) != null) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + user + " is given twice");
            }
        }
        Map<String, char[]> out = new LinkedHashMap<>();
        out.put(centralUser, required(given, centralUser, "the central node's user (--central-user)"));
        for (DeviceAccount d : security.devices()) {
            out.put(d.id(), matching(given, d.id(), d.passwordHash()));
        }
        for (ClientAccount c : security.clients()) {
            out.put(c.username(), matching(given, c.username(), c.passwordHash()));
        }
        for (String user : given.keySet()) {
            if (!out.containsKey(user)) {
                throw new IllegalArgumentException(user + " has no account in the security section (nor is it "
                        + "the central node's user, " + centralUser + ")");
            }
        }
        return out;
    }

    private static char[] required(Map<String, char[]> given, String user, String what) {
        char[] password = given.get(user);
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("no password for " + user + " (" + what + ")");
        }
        return password;
    }

    private static char[] matching(Map<String, char[]> given, String user,
                                   io.ftpipe.broker.security.PasswordHash hash) {
        char[] password = required(given, user, "an account of the security section");
        if (!hash.matches(new String(password).getBytes(StandardCharsets.UTF_8))) {
            throw new IllegalArgumentException("the password given for " + user + " is not the one its account's "
                    + "passwordHash was made from");
        }
        return password;
    }
}
