package io.ftpipe.centralclient.mosquitto;

import io.ftpipe.broker.configuration.SecurityConfig;

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
import java.util.List;
import java.util.Map;

/**
 * Writes what a Mosquitto broker needs to enforce FTPipeHD's accounts: its password file
 * ({@value #PASSWORDS}, readable by its owner only), its ACL file ({@value #ACL}) and the lines
 * that switch them on ({@value #CONF}, to put after the broker's {@code listener} line or include
 * from {@code conf.d}).
 */
public final class MosquittoSecurityFiles {
    public static final String PASSWORDS = "passwords";
    public static final String ACL = "acl";
    public static final String CONF = "ftpipe-security.conf";

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
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>();
        try {
            passwords.forEach((user, password) -> lines.add(user + ":"
                    + MosquittoPasswordHash.create(password, iterations, random)));
        } finally {
            passwords.values().forEach(p -> Arrays.fill(p, '\0'));
        }
        Path pw = dir.resolve(PASSWORDS);
        writeAtomically(pw, String.join("\n", lines) + "\n", true, owner);
        Path acl = dir.resolve(ACL);
        writeAtomically(acl, MosquittoAcl.text(security, centralUser), false, null);
        Path conf = dir.resolve(CONF);
        writeAtomically(conf, conf(pw, acl), false, null);
        return List.of(pw, acl, conf);
    }

    /** The listener's security lines. */
    static String conf(Path passwords, Path acl) {
        return String.join("\n",
                "# written by ftpipe mosquitto-config; settings of a listener: put them after its line",
                "allow_anonymous false",
                "password_file " + passwords.toAbsolutePath(),
                "acl_file " + acl.toAbsolutePath(),
                "# a client's id is its user name: nobody can take a device's session over",
                "use_username_as_clientid true") + "\n";
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
