package io.ftpipe.broker;

import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.central.JobWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The central node has one watcher of its jobs; the management API and the dashboard both watch.
 * This is that one watcher, telling each of its members; a member that throws does not keep the
 * others from hearing.
 */
public final class JobWatchers implements JobWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(JobWatchers.class);

    private final List<JobWatcher> members = new CopyOnWriteArrayList<>();

    public void add(JobWatcher watcher) {
        members.add(watcher);
    }

    public void remove(JobWatcher watcher) {
        members.remove(watcher);
    }

    @Override
    public void statusChanged(String job, Map<String, Object> status) {
        for (JobWatcher w : members) {
            tell(() -> w.statusChanged(job, status));
        }
    }

    @Override
    public void ended(String job, JobReport report, Throwable error) {
        for (JobWatcher w : members) {
            tell(() -> w.ended(job, report, error));
        }
    }

    @Override
    public JobListener progressOf(JobSpec spec) {
        JobListener all = JobListener.NONE;
        for (JobWatcher w : members) {
            try {
                all = JobListener.both(all, w.progressOf(spec));
            } catch (RuntimeException e) {
                LOG.warn("a job watcher failed: {}", e.toString());
            }
        }
        return all;
    }

    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("a job watcher failed: {}", e.toString());
        }
    }
}
