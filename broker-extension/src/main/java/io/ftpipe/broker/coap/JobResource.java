package io.ftpipe.broker.coap;

import io.ftpipe.broker.central.TrainingCentralNode;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * {@code /jobs/{id}}: {@code GET} is the job's status, observable: every status the job publishes
 * (and its end) is a notification. {@code DELETE} stops it, as does {@code POST /jobs/{id}/stop}.
 */
final class JobResource extends CoapResource {
    private static final Logger LOG = LoggerFactory.getLogger(JobResource.class);

    private final TrainingCentralNode central;
    private final KnownJobs jobs;
    private final RequestRejections rejections;
    private final JobPlanResource plan;

    JobResource(String id, TrainingCentralNode central, KnownJobs jobs, RequestRejections rejections) {
        super(id);
        this.central = central;
        this.jobs = jobs;
        this.rejections = rejections;
        this.plan = new JobPlanResource(id, jobs, rejections);
        setObservable(true);
        // Confirmable: the last notification (the job's end) must not be lost on the way.
        setObserveType(CoAP.Type.CON);
        getAttributes().setObservable();
        getAttributes().setTitle("job " + id + ": status (observable); DELETE stops it");
        add(plan);
        add(new JobStopResource(this, rejections));
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        Optional<KnownJobs.Job> job = job(exchange);
        job.ifPresent(j -> Replies.json(exchange, ResponseCode.CONTENT, ManagementJson.jobStatus(j)));
    }

    @Override
    public void handleDELETE(CoapExchange exchange) {
        stop(exchange, "DELETE through the management API", ResponseCode.DELETED);
    }

    /** Asks the central node to stop the job; answers {@code success}, or 4.09 if it is not running. */
    void stop(CoapExchange exchange, String reason, ResponseCode success) {
        Optional<KnownJobs.Job> job = job(exchange);
        if (job.isEmpty()) {
            return;
        }
        String id = getName();
        if (!jobs.stopping(id) || !central.stop(id, reason)) {
            rejections.reject(exchange, ResponseCode.CONFLICT, RequestRejections.CONFLICT, "job '" + id
                    + "' is not running (" + jobs.get(id).map(j -> j.state().json()).orElse("gone") + ")");
            return;
        }
        LOG.info("job {} stopped through the CoAP management API from {}: {}", id, exchange.getSourceSocketAddress(),
                reason);
        Replies.json(exchange, success, ManagementJson.MAPPER.createObjectNode().put("job", id)
                .put("state", "stopping").put("reason", reason));
    }

    /** The status changed: observers of the job and of its plan hear of it. */
    @Override
    public void changed() {
        super.changed();
        plan.changed();
    }

    /** The table dropped the job: observers are told it is gone (4.04). */
    void forget() {
        clearAndNotifyObserveRelations(ResponseCode.NOT_FOUND);
        plan.clearAndNotifyObserveRelations(ResponseCode.NOT_FOUND);
    }

    private Optional<KnownJobs.Job> job(CoapExchange exchange) {
        Optional<KnownJobs.Job> job = jobs.get(getName());
        if (job.isEmpty()) {
            rejections.reject(exchange, ResponseCode.NOT_FOUND, RequestRejections.UNKNOWN_JOB,
                    "unknown job '" + getName() + "'");
        }
        return job;
    }
}
