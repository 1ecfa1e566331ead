package io.ftpipe.device.config;

/**
 * The settings table that {@code --help} prints. Generated from {@link Setting}, so the help an
 * operator reads on a gateway cannot drift from what the loader accepts.
 */
public final class SettingsUsage {
    private static final String ROW = "  %-33s %-22s %-20s %s%n";

    private SettingsUsage() {
    }

    /** One row per setting: flag, JSON key, environment variable, default. */
    public static String table() {
        StringBuilder out = new StringBuilder(String.format(ROW, "flag", "JSON key", "environment", "default"));
        for (Setting s : Setting.values()) {
            String def = s == Setting.ID ? "the host name" : s.defaultValue == null ? "none" : s.defaultValue;
            out.append(String.format(ROW, "--" + s.flag() + " VALUE", s.key, s.envVar == null ? "-" : s.envVar, def));
        }
        return out.toString();
    }
}
