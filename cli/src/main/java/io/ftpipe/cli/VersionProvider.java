package io.ftpipe.cli;

import picocli.CommandLine;

/** The version from the jar manifest; classes run from a build directory have none. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = FtpipeMain.class.getPackage().getImplementationVersion();
        return new String[]{"ftpipe " + (version == null ? "(development build)" : version)};
    }
}
