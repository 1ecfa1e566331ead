package io.ftpipe.broker.dashboard;

import com.sun.net.httpserver.HttpExchange;
import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.coap.BadRequest;
import io.ftpipe.broker.coap.JobRequest;
import io.ftpipe.broker.json.PublishedJson;
import io.ftpipe.broker.security.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An admin's changes from the dashboard: {@code POST /api/jobs} submits a job (the body of the
 * CoAP API's {@code POST /jobs}, parsed by the same {@link JobRequest}), {@code POST
 * /api/jobs/{id}/stop} stops one.
 */
final class JobControl {
    private static final Logger LOG = LoggerFactory.getLogger(JobControl.class);

    private final TrainingCentralNode central;
    private final LiveView view;
    private final AtomicLong generatedIds = new AtomicLong();

    JobControl(TrainingCentralNode central, LiveView view) {
        this.central = central;
        this.view = view;
    }

    /** @param path below {@code /api/}: {@code jobs} or {@code jobs/{id}/stop} */
    void handle(HttpExchange exchange, String path, Principal who) throws IOException {
        if (path.equals("jobs")) {
            submit(exchange, who);
            return;
        }
        String[] parts = path.split("/");
        if (parts.length == 3 && parts[2].equals("stop")) {
            String job = parts[1];
            if (!central.stop(job, "stopped from the dashboard by " + who.name())) {
                Http.error(exchange, 409, "job '" + job + "' is not running");
                return;
            }
            LOG.info("job {} stopped from the dashboard by {}", job, who.name());
            Http.json(exchange, 202, PublishedJson.MAPPER.createObjectNode().put("job", job).put("state", "stopping"));
            return;
        }
        Http.error(exchange, 404, "no POST /api/" + path);
    }

    private void submit(HttpExchange exchange, Principal who) throws IOException {
        byte[] body = Http.body(exchange);
        if (body == null) {
            return;
        }
        JobSpec spec;
        synchronized (this) {
            try {
                spec = JobRequest.parse(body, this::freshId, central.userFiles());
            } catch (BadRequest bad) {
                Http.error(exchange, 400, bad.getMessage());
                return;
            }
            // An id names the job's topics and folder: used once, also after the job ended.
            if (taken(spec.id())) {
                Http.error(exchange, 409, "job '" + spec.id() + "' exists; choose another id");
                return;
            }
            CompletableFuture<JobReport> run = central.submit(spec, JobListener.NONE);
            if (run.isCompletedExceptionally()) {
                Throwable why = run.handle((report, error) -> error).getNow(null);
                Http.error(exchange, 409, why == null ? "job '" + spec.id() + "' was refused" : why.getMessage());
                return;
            }
        }
        LOG.info("job {} submitted from the dashboard by {}: {}", spec.id(), who.name(), spec);
        Http.json(exchange, 201, PublishedJson.MAPPER.createObjectNode().put("job", spec.id()).put("state", "running"));
    }

    private boolean taken(String id) {
        return view.knows(id) || central.runningJobs().contains(id) || Files.exists(central.reportPath(id).getParent());
    }

    private String freshId() {
        String id;
        do {
            id = "job-" + generatedIds.incrementAndGet();
        } while (taken(id));
        return id;
    }
}
