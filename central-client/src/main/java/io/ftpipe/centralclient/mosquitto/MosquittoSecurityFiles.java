package io.ftpipe.centralclient.mosquitto;

import io.ftpipe.broker.configuration.SecurityConfig;
import io.ftpipe.centralclient.dynsec.DynsecConfig;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes what a Mosquitto broker needs to enforce FTPipeHD's accounts: its password file
 * ({@value #PASSWORDS}, readable by its owner only), its ACL file ({@value #ACL}) and the lines
 * that switch them on ({@value #CONF}, to put after the broker's {@code listener} line or include
 * from {@code conf.d}); and, for the dynamic-security plugin, the plugin's first configuration
 * ({@link DynsecConfig}) and the lines that load it.
 */
public final class MosquittoSecurityFiles {
    public static final String PASSWORDS = "passwords";
    public static final String ACL = "acl";
    public static final String CONF = "ftpipe-security.conf";
    /** Where Debian's (and Ubuntu's) {@code mosquitto} package puts the plugin on amd64. */
    public static final String DEBIAN_DYNSEC_PLUGIN = "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so";

    /**
     * The dynamic-security plugin, to be loaded from {@code library} with its configuration in
     * {@code config}. The plugin rewrites that file whenever the central node changes a role, so
     * the broker's user must be able to write it and create files beside it.
     */
    public record DynamicSecurity(Path library, Path config) {
        public DynamicSecurity {
            Objects.requireNonNull(library, "library");
            Objects.requireNonNull(config, "config");
        }
    }

    private MosquittoSecurityFiles() {
    }

    /**
     * @param passwords every user's password, as {@link PasswordList#check} returned them; cleared
     * @param owner     who gets the password file, or null to keep it the writer's: a broker started as
     *                  root reads it as the user it switches to ({@code mosquitto} on Debian)
     * @return the files written
     */
    public static List<Path> write(Path dir, SecurityConfig security, String centralUser, Map<String, char[]> passwords,
                                   int iterations, SecureRandom random, UserPrincipal owner) throws IOException {
        return write(dir, security, centralUser, passwords, iterations, random, owner, null);
    }

    /**
     * @param dynsec the dynamic-security plugin to load and configure, or null for none
     */
    public static List<Path> write(Path dir, SecurityConfig security, String centralUser, Map<String, char[]> passwords,
                                   int iterations, SecureRandom random, UserPrincipal owner, DynamicSecurity dynsec)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, String> hashes = new LinkedHashMap<>();
        try {
            passwords.forEach((user, password) -> hashes.put(user,
                    MosquittoPasswordHash.create(password, iterations, random)));
        } finally {
            passwords.values().forEach(p -> Arrays.fill(p, '\0'));
        }
        List<String> lines = new ArrayList<>();
        hashes.forEach((user, hash) -> lines.add(user + ":" + hash));
        Path pw = dir.resolve(PASSWORDS);
        writeAtomically(pw, String.join("\n", lines) + "\n", true, owner);
        Path acl = dir.resolve(ACL);
        writeAtomically(acl, MosquittoAcl.text(security, centralUser, dynsec != null), false, null);
        List<Path> written = new ArrayList<>(List.of(pw, acl));
        if (dynsec != null) {
            Map<String, String> devices = new LinkedHashMap<>();
            security.devices().forEach(d -> devices.put(d.id(), hashes.get(d.id())));
            Files.createDirectories(dynsec.config().toAbsolutePath().getParent());
            writeAtomically(dynsec.config(), DynsecConfig.json(centralUser, hashes.get(centralUser), devices), true,
                    owner);
            written.add(dynsec.config());
        }
        Path conf = dir.resolve(CONF);
        writeAtomically(conf, conf(pw, acl, dynsec), false, null);
        written.add(conf);
        return List.copyOf(written);
    }

    /** The listener's security lines. */
    static String conf(Path passwords, Path acl) {
        return conf(passwords, acl, null);
    }

    static String conf(Path passwords, Path acl, DynamicSecurity dynsec) {
        List<String> l = new ArrayList<>(List.of(
                "# written by ftpipe mosquitto-config; settings of a listener: put them after its line",
                "allow_anonymous false",
                "password_file " + passwords.toAbsolutePath(),
                "acl_file " + acl.toAbsolutePath(),
                "# a client's id is its user name: nobody can take a device's session over",
                "use_username_as_clientid true"));
        if (dynsec != null) {
            l.add("# the dynamic-security plugin: the central node narrows each device to its stages (ftpipe central "
                    + "--dynamic-security); its clients log in with its passwords, the others with password_file's");
            l.add("plugin " + dynsec.library().toAbsolutePath());
            l.add("plugin_opt_config_file " + dynsec.config().toAbsolutePath());
        }
        return String.join("\n", l) + "\n";
    }

    /**
     * The broker's user when it has one and this runs as root (who else could give a file away):
     * Debian's mosquitto, started as root, reads its files as {@code mosquitto}. Null otherwise.
     */
    public static UserPrincipal brokerUser(String name) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return null;
        }
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(name);
        } catch (UserPrincipalNotFoundException e) {
            return null;
        }
    }

    private static void writeAtomically(Path file, String text, boolean secret, UserPrincipal owner)
            throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            // Set either way: a temporary file is its owner's alone, and a broker started as root
            // reads the ACL file as another user.
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
            if (owner != null) {
                Files.setOwner(tmp, owner);
            }
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
