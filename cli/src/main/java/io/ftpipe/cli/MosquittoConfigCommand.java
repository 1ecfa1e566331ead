package io.ftpipe.cli;

import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.ExtensionConfigReader;
import io.ftpipe.centralclient.configuration.BrokerConnection;
import io.ftpipe.centralclient.mosquitto.MosquittoPasswordHash;
import io.ftpipe.centralclient.mosquitto.MosquittoSecurityFiles;
import io.ftpipe.centralclient.mosquitto.PasswordList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ftpipe mosquitto-config}: a Mosquitto broker's password file, ACL file and the listener
 * lines that use them, from the accounts of the extension's {@code security} section and the
 * client-mode central node's user, so that the broker enforces what the HiveMQ extension would.
 */
@Command(name = "mosquitto-config", mixinStandardHelpOptions = true,
        description = {"Write mosquitto's password and ACL files from the accounts in ftpipe-extension.json.",
                "Passwords come from --passwords (username:password lines), each checked against its account.",
                "With --dynamic-security, also the dynamic-security plugin's first configuration: ftpipe central "
                        + "--dynamic-security then narrows each device to its current stages."})
public final class MosquittoConfigCommand implements Callable<Integer> {
    @Spec
    private CommandLine.Model.CommandSpec spec;
    @Option(names = "--config", required = true, description = "ftpipe-extension.json with the security section")
    Path config;
    @Option(names = "--passwords", required = true, paramLabel = "FILE", description = "username:password a line: "
            + "every device and client of the security section, and the central node's user")
    Path passwords;
    @Option(names = "--central-user", defaultValue = BrokerConnection.DEFAULT_CLIENT_ID, description = "the user name "
            + "(and client id) of ftpipe central (default: ${DEFAULT-VALUE})")
    String centralUser;
    @Option(names = "--iterations", defaultValue = "" + MosquittoPasswordHash.DEFAULT_ITERATIONS,
            description = "PBKDF2-SHA512 iterations (default: ${DEFAULT-VALUE}, mosquitto_passwd's)")
    int iterations;
    @Option(names = "--out", required = true, description = "the folder to write the files to")
    Path out;
    @Option(names = "--dynamic-security", paramLabel = "FILE", description = "also write the dynamic-security "
            + "plugin's configuration here (the central user as its admin, each device with its own topics only), "
            + "load the plugin in " + MosquittoSecurityFiles.CONF + ", and leave stage topics out of the ACL file. "
            + "The broker rewrites the file: its user must be able to write to the file's folder")
    Path dynamicSecurity;
    @Option(names = "--dynamic-security-plugin", paramLabel = "LIB", defaultValue =
            MosquittoSecurityFiles.DEBIAN_DYNSEC_PLUGIN, description = "the plugin's library (default: "
            + "${DEFAULT-VALUE}, Debian's on amd64; dpkg -L mosquitto lists it)")
    Path dynamicSecurityPlugin;
    @Option(names = "--broker-user", defaultValue = "mosquitto", description = "run as root: the password file goes "
            + "to this user, as whom a broker started as root reads it; none: keep it root's (default: "
            + "${DEFAULT-VALUE})")
    String brokerUser;

    @Override
    public Integer call() throws Exception {
        ExtensionConfig settings = new ExtensionConfigReader().read(config);
        List<String> lines = Files.readAllLines(passwords, StandardCharsets.UTF_8);
        Map<String, char[]> checked;
        try {
            if (settings.security().isDevice(centralUser)
                    || settings.security().clients().stream().anyMatch(c -> c.username().equals(centralUser))) {
                throw new IllegalArgumentException("--central-user " + centralUser + " is also an account of the "
                        + "security section");
            }
            checked = PasswordList.check(lines, settings.security(), centralUser);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), passwords + ": " + e.getMessage());
        }
        var owner = "none".equals(brokerUser) ? null : MosquittoSecurityFiles.brokerUser(brokerUser);
        MosquittoSecurityFiles.DynamicSecurity dynsec = dynamicSecurity == null ? null
                : new MosquittoSecurityFiles.DynamicSecurity(dynamicSecurityPlugin, dynamicSecurity);
        if (dynsec != null && !Files.isRegularFile(dynamicSecurityPlugin)) {
            err().println("warning: " + dynamicSecurityPlugin + " is not here; the broker must find it where it runs "
                    + "(--dynamic-security-plugin)");
        }
        List<Path> written = MosquittoSecurityFiles.write(out, settings.security(), centralUser, checked, iterations,
                new SecureRandom(), owner, dynsec);
        var err = err();
        written.forEach(f -> err.println("wrote " + f.toAbsolutePath()));
        if (owner != null) {
            err.println(MosquittoSecurityFiles.PASSWORDS + " belongs to " + owner.getName() + " (readable by it alone)");
        }
        err.println("put the lines of " + MosquittoSecurityFiles.CONF + " after the listener's line of mosquitto.conf; "
                + "ftpipe central connects with --username " + centralUser + " --client-id " + centralUser
                + (dynsec == null ? "" : " --dynamic-security"));
        return 0;
    }

    private java.io.PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
