package io.ftpipe.broker.coap;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code GET /jobs/{id}/plan}: the job's current layout (its last, once ended): each stage's
 * device, unit range and predicted times, and the predicted samples/s. Observable: a re-plan or a
 * recovery is a notification.
 */
final class JobPlanResource extends CoapResource {
    private final String job;
    private final KnownJobs jobs;
    private final RequestRejections rejections;

    JobPlanResource(String job, KnownJobs jobs, RequestRejections rejections) {
        super("plan");
        this.job = job;
        this.jobs = jobs;
        this.rejections = rejections;
        setObservable(true);
        setObserveType(CoAP.Type.CON);
        getAttributes().setObservable();
        getAttributes().setTitle("the job's current plan (observable)");
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        jobs.get(job).ifPresentOrElse(j -> Replies.json(exchange, ResponseCode.CONTENT, ManagementJson.plan(j)),
                () -> rejections.reject(exchange, ResponseCode.NOT_FOUND, RequestRejections.UNKNOWN_JOB,
                        "unknown job '" + job + "'"));
    }
}
