package io.ftpipe.centralclient.mosquitto;

import io.ftpipe.broker.configuration.SecurityConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MosquittoSecurityFilesTest {
    @TempDir
    Path dir;

    private Map<String, char[]> passwords(SecurityConfig security) {
        List<String> lines = new java.util.ArrayList<>(List.of("central:" + TestAccounts.password("central")));
        security.devices().forEach(d -> lines.add(d.id() + ":" + TestAccounts.password(d.id())));
        security.clients().forEach(c -> lines.add(c.username() + ":" + TestAccounts.password(c.username())));
        return new LinkedHashMap<>(PasswordList.check(lines, security, "central"));
    }

    /** The owner given (here the writer itself: only root may give a file to another user). */
    @Test
    void thePasswordFileIsTheOwnersAloneAndHoldsEveryUserAndTheAclFileIsReadable() throws Exception {
        SecurityConfig security = TestAccounts.of(List.of("gw-1"), "grafana", "ops");
        UserPrincipal me = FileSystems.getDefault().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        Map<String, char[]> given = passwords(security);
        List<Path> written = MosquittoSecurityFiles.write(dir, security, "central", given, 1_000, new SecureRandom(),
                me);

        Path pw = dir.resolve(MosquittoSecurityFiles.PASSWORDS);
        assertEquals(List.of(pw, dir.resolve(MosquittoSecurityFiles.ACL), dir.resolve(MosquittoSecurityFiles.CONF)),
                written);
        assertEquals(me, Files.getOwner(pw));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(pw));
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"),
                Files.getPosixFilePermissions(dir.resolve(MosquittoSecurityFiles.ACL)), "the broker's user reads it");
        List<String> users = Files.readAllLines(pw).stream().map(l -> l.substring(0, l.indexOf(':'))).toList();
        assertEquals(List.of("central", "gw-1", "grafana", "ops"), users);
        assertTrue(Files.readAllLines(pw).stream().allMatch(l -> l.contains(":$7$")), "mosquitto's PBKDF2-SHA512 hashes");
        assertArrayEquals(new char[TestAccounts.password("gw-1").length()], given.get("gw-1"), "passwords cleared");
        try (var left = Files.list(dir)) {
            assertEquals(3, left.count(), "no temporary file left");
        }
    }

    @Test
    void noBrokerUserWhenThereIsNoSuchUserOrThisIsNotRoot() throws Exception {
        assertNull(MosquittoSecurityFiles.brokerUser("no-such-user-of-ftpipe"));
        if (!"root".equals(System.getProperty("user.name"))) {
            assertNull(MosquittoSecurityFiles.brokerUser("root"), "only root may give files away");
        }
    }

    @Test
    void withTheDynamicSecurityPluginItsConfigurationIsWrittenAndLoaded() throws Exception {
        SecurityConfig security = TestAccounts.of(List.of("gw-1"), "grafana", "ops");
        Path pluginConfig = dir.resolve("plugin").resolve("dynamic-security.json");
        MosquittoSecurityFiles.DynamicSecurity dynsec = new MosquittoSecurityFiles.DynamicSecurity(
                Path.of(MosquittoSecurityFiles.DEBIAN_DYNSEC_PLUGIN), pluginConfig);
        List<Path> written = MosquittoSecurityFiles.write(dir, security, "central", passwords(security), 1_000,
                new SecureRandom(), null, dynsec);

        assertTrue(written.contains(pluginConfig), written.toString());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(pluginConfig),
                "it holds password hashes");
        String plugin = Files.readString(pluginConfig);
        assertTrue(plugin.contains("\"username\" : \"gw-1\""), plugin);
        assertFalse(plugin.contains("grafana"), "monitors and admins log in with the password file");
        String conf = Files.readString(dir.resolve(MosquittoSecurityFiles.CONF));
        assertTrue(conf.contains("\nplugin " + MosquittoSecurityFiles.DEBIAN_DYNSEC_PLUGIN + "\n"), conf);
        assertTrue(conf.contains("\nplugin_opt_config_file " + pluginConfig.toAbsolutePath() + "\n"), conf);
        assertFalse(Files.readString(dir.resolve(MosquittoSecurityFiles.ACL)).contains("stages"));
    }
}
