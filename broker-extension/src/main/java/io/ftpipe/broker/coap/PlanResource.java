package io.ftpipe.broker.coap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;

/** {@code GET /plan}: the current plan of every running job (usually one), as {@code /jobs/{id}/plan}. */
final class PlanResource extends CoapResource {
    private final KnownJobs jobs;

    PlanResource(KnownJobs jobs) {
        super("plan");
        this.jobs = jobs;
        getAttributes().setTitle("the plans of the running jobs");
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        ArrayNode plans = ManagementJson.MAPPER.createArrayNode();
        jobs.all().stream().filter(j -> j.state() == KnownJobs.State.RUNNING)
                .forEach(j -> plans.add(ManagementJson.plan(j)));
        Replies.json(exchange, ResponseCode.CONTENT, plans);
    }
}
