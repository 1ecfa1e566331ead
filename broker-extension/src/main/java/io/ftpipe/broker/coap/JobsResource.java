package io.ftpipe.broker.coap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.central.TrainingCentralNode;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /jobs} lists the jobs; {@code POST /jobs} submits one from a JSON body
 * ({@link JobRequest}). Each known job is a child resource ({@link JobResource}), kept for as long
 * as {@link KnownJobs} keeps the job, so that observers of it stay attached to one object.
 */
final class JobsResource extends CoapResource implements KnownJobs.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(JobsResource.class);

    private final TrainingCentralNode central;
    private final KnownJobs jobs;
    private final RequestRejections rejections;
    private final AtomicLong generatedIds = new AtomicLong();
    /** Checking an id and submitting it must be one step, or two clients could both get it. */
    private final Object submitting = new Object();

    JobsResource(TrainingCentralNode central, KnownJobs jobs, RequestRejections rejections) {
        super("jobs");
        this.central = central;
        this.jobs = jobs;
        this.rejections = rejections;
        getAttributes().setTitle("training jobs; POST a JSON job to submit one");
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        ArrayNode list = ManagementJson.MAPPER.createArrayNode();
        jobs.all().forEach(j -> list.add(ManagementJson.jobSummary(j)));
        Replies.json(exchange, ResponseCode.CONTENT, list);
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        if (!Replies.acceptsJsonBody(exchange, rejections)) {
            return;
        }
        JobSpec spec;
        synchronized (submitting) {
            try {
                spec = JobRequest.parse(exchange.getRequestPayload(), this::freshId, central.userFiles());
            } catch (BadRequest bad) {
                rejections.reject(exchange, bad);
                return;
            }
            // Ids name the job's topics and its folder under dataDir: one job per id, also after it ended.
            var known = jobs.get(spec.id());
            if (known.isPresent()) {
                rejections.reject(exchange, ResponseCode.CONFLICT, RequestRejections.CONFLICT, "job '" + spec.id()
                        + "' exists (" + known.get().state().json() + "); choose another id");
                return;
            }
            CompletableFuture<JobReport> run = central.submit(spec, JobListener.NONE);
            if (run.isCompletedExceptionally()) {
                // Refused at once: a job of that id runs, submitted in-process (demo, broker --train).
                Throwable why = run.handle((report, error) -> error).getNow(null);
                rejections.reject(exchange, ResponseCode.CONFLICT, RequestRejections.CONFLICT,
                        why == null ? "job '" + spec.id() + "' was refused" : why.getMessage());
                return;
            }
            jobs.submitted(spec.id(), ManagementJson.submittedStatus(spec));
        }
        LOG.info("job {} submitted through the CoAP management API from {}: {}", spec.id(),
                exchange.getSourceSocketAddress(), spec);
        exchange.setLocationPath(getName() + "/" + spec.id());
        Replies.json(exchange, ResponseCode.CREATED, ManagementJson.jobStatus(jobs.get(spec.id()).orElseThrow()));
    }

    /** {@code job-N}, the first N that names no job. */
    private String freshId() {
        String id;
        do {
            id = "job-" + generatedIds.incrementAndGet();
        } while (jobs.knows(id) || central.runningJobs().contains(id));
        return id;
    }

    @Override
    public Resource getChild(String name) {
        Resource child = super.getChild(name);
        return child != null ? child : new UnknownResource(name, RequestRejections.UNKNOWN_JOB,
                "unknown job '" + name + "'", rejections);
    }

    @Override
    public void added(String job) {
        child(job);
    }

    @Override
    public void changed(String job) {
        child(job).changed();
    }

    @Override
    public synchronized void removed(String job) {
        Resource child = super.getChild(job);
        if (child instanceof JobResource r) {
            r.forget();
            delete(r);
        }
    }

    private synchronized JobResource child(String job) {
        Resource child = super.getChild(job);
        if (child instanceof JobResource r) {
            return r;
        }
        JobResource r = new JobResource(job, central, jobs, rejections);
        add(r);
        return r;
    }
}
