package io.ftpipe.cli.testbed;

/**
 * One device host of the testbed: the CPU it may use (in cores, e.g. 0.4) and its link's rate in
 * megabits per second, shaped both ways.
 */
public record HostSpec(double cpus, double mbit) {
    public HostSpec {
        if (!(cpus > 0) || !(mbit > 0) || Double.isInfinite(cpus) || Double.isInfinite(mbit)) {
            throw new IllegalArgumentException("a host needs a CPU quota and a link rate above 0, got " + cpus
                    + " cores and " + mbit + " Mbit/s");
        }
    }
}
