package io.ftpipe.broker.central;

import java.util.List;
import java.util.Map;

/**
 * What the central node keeps on disk of a running job so that, restarted, it can go on with it:
 * the job as submitted, where training stands and what the report has gathered so far. Weights
 * are not in it: they are in the job's replica store and on the devices, which outlive the central
 * node. Times are wall-clock milliseconds, because the process that reads them is not the one that
 * wrote them.
 *
 * @param devices          the devices the job was given
 * @param term             the latest term started (devices reject older ones)
 * @param layout           that term's layout: whom to collect state from
 * @param position         where training goes on, and this epoch's loss over what came before
 * @param fed              micro-batches fed by then (those from {@code position} on are fed again)
 * @param trainSeconds     time spent in the epochs already finished
 * @param replicatedSince  each device's replication counts (bytes and milliseconds) when the job first
 *                         heard from it
 * @param referenceThreads the thread count of the reference profile the planner costs units with
 *                         (0 in a checkpoint written before it was kept: then the devices' tells)
 */
record JobCheckpoint(JobSpec spec, long startedMillis, List<String> devices, long term, JobReport.Term layout,
                     ProgressLedger.Position position, long fed, long epochStartedMillis, double trainSeconds,
                     List<JobReport.Epoch> epochs, List<JobReport.Term> terms, List<JobReport.Recovery> recoveries,
                     Map<String, JobReplication.Counts> replicatedSince, List<String> events,
                     int referenceThreads) {
}
