package io.ftpipe.broker.plan;

/** Which way {@link Planner} finds a plan; tests force one to compare the two on the same case. */
enum Program {
    /** {@link ExactProgram}: the optimum, at a cost that doubles with every device. */
    EXACT,
    /** {@link OrderSearch}: polynomial per order tried, checked against the exact program. */
    SEARCH;

    /** The exact program wherever it is fast ({@link ExactProgram#isFast}), the search elsewhere. */
    static Program forSize(int devices, int units) {
        return ExactProgram.isFast(devices, units) ? EXACT : SEARCH;
    }
}
