package io.ftpipe.broker.plan;

/**
 * Which way {@link Planner} finds a plan. Tests and {@code ftpipe bench planner} force one to
 * compare the two on the same case; callers that plan leave the choice to {@link #forSize}.
 */
public enum Program {
    /** {@link ExactProgram}: the optimum, at a cost that doubles with every device. */
    EXACT,
    /** {@link OrderSearch}: polynomial per order tried, checked against the exact program. */
    SEARCH;

    /** The exact program wherever it is fast ({@link ExactProgram#isFast}), the search elsewhere. */
    public static Program forSize(int devices, int units) {
        return ExactProgram.isFast(devices, units) ? EXACT : SEARCH;
    }
}
