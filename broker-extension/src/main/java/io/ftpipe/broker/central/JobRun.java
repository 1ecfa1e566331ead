package io.ftpipe.broker.central;

import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.broker.CentralPublisher;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.protocol.Assignments;
import io.ftpipe.protocol.Chunks;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.Rejections;
import io.ftpipe.protocol.Tensor;
import io.ftpipe.protocol.Topics;
import io.ftpipe.zoo.data.BatchOrder;
import io.ftpipe.zoo.data.Dataset;
import io.ftpipe.zoo.data.FashionMnist;
import io.ftpipe.zoo.data.SyntheticDataset;
import io.ftpipe.zoo.export.InferenceExporter;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.runtime.LocalPipeline;
import io.ftpipe.zoo.runtime.ParamStore;
import io.ftpipe.zoo.train.LocalTrainer;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * One job, driven by the central node: waits for devices, plans an even partition, ships each
 * device its stage, feeds micro-batches (at most as many in flight as the schedule allows),
 * collects the weights after each epoch to evaluate them on the test set, and exports the model.
 * Device events arrive on other threads through {@link #onMessage}.
 */
final class JobRun {
    private static final Logger LOG = Logger.getLogger(JobRun.class.getName());
    static final int CHUNK_BYTES = 4 << 20;
    private static final com.fasterxml.jackson.databind.ObjectMapper STATUS_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final JobSpec spec;
    private final DeviceRegistry registry;
    private final CentralPublisher publisher;
    private final ExtensionConfig config;
    private final JobListener listener;
    private final Duration timeouts;
    private final Rejections rejections;
    private final List<String> events = new ArrayList<>();
    private final long started = System.nanoTime();
    private final Object lock = new Object();

    // Guarded by lock: what the devices told us.
    private final Map<Integer, String> acks = new HashMap<>();
    private final Map<Integer, Message.Weights> weights = new HashMap<>();
    private long done;
    private double lossSum;
    private long correct;
    private long lossSamples;
    private String failure;

    private final long term = 1;
    private long messageIds;
    private List<String> devices = List.of();

    /** How long to wait for devices, acknowledgements and progress. */
    record Duration(long devicesMillis, long stallMillis) {
    }

    JobRun(JobSpec spec, DeviceRegistry registry, CentralPublisher publisher, ExtensionConfig config,
           JobListener listener, Duration timeouts, Rejections rejections) {
        this.spec = spec;
        this.registry = registry;
        this.publisher = publisher;
        this.config = config;
        this.listener = listener;
        this.timeouts = timeouts;
        this.rejections = rejections;
    }

    String id() {
        return spec.id();
    }

    /** A device's reply or a stage's progress for this job (any thread). */
    void onMessage(String device, Message m) {
        synchronized (lock) {
            if (m instanceof Message.Ack a && a.term() == term) {
                acks.put(a.stage(), device);
            } else if (m instanceof Message.Weights w && w.term() == term) {
                weights.put(w.stage(), w);
            } else if (m instanceof Message.DeviceError e) {
                failure = "device " + device + ": " + e.reason();
            } else if (m instanceof Message.Progress p && p.term() == term) {
                if (Message.Progress.DONE.equals(p.kind())) {
                    done++;
                } else {
                    lossSum += p.loss() * p.count();
                    correct += p.correct();
                    lossSamples += p.count();
                }
            }
            lock.notifyAll();
        }
    }

    JobReport run() throws Exception {
        event("job " + spec.id() + " submitted: " + spec.model() + ", " + spec.devices() + " devices, "
                + spec.schedule());
        Model model = ModelZoo.create(spec.model());
        devices = waitForDevices();
        int stages = Math.min(devices.size(), model.size());
        int[] bounds = LocalTrainer.evenBounds(model, stages);
        List<JobReport.Stage> plan = new ArrayList<>();
        for (int s = 0; s < stages; s++) {
            plan.add(new JobReport.Stage(s, devices.get(s), bounds[s], bounds[s + 1]));
        }
        event("term " + term + ": plan " + plan);

        var settings = new Assignments.JobSettings(spec.id(), spec.optimizer(), spec.schedule(), spec.microBatches(),
                spec.microBatchSize());
        var assigns = Assignments.forPartition(model, bounds, term, settings,
                Assignments.initialUnits(model, spec.seed()));
        for (Message.Assign a : assigns) {
            send(devices.get(a.stage()), Topics.device(devices.get(a.stage()), Topics.COMMAND), a, 0);
        }
        await(() -> acks.size() == stages, timeouts.devicesMillis(), "devices to load their stages");
        event("all " + stages + " stages ready");

        Dataset train = trainSet();
        Dataset test = spec.synthetic() > 0 ? SyntheticDataset.generate(Math.max(100, spec.synthetic() / 5),
                spec.seed() + 1) : FashionMnist.test(config.datasetDir());
        int micro = spec.microBatchSize();
        long perEpoch = BatchOrder.batches(train.size(), spec.batchSize()) * (long) spec.microBatches();
        listener.started(perEpoch * spec.epochs());

        List<JobReport.Epoch> epochs = new ArrayList<>();
        Map<String, float[]> modelWeights = Map.of();
        double trainNanos = 0;
        long iteration = 0;
        for (int epoch = 0; epoch < spec.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            resetLoss();
            int[] order = BatchOrder.permutation(train.size(), spec.seed(), epoch);
            for (int from = 0; from < train.size(); from += spec.batchSize()) {
                int batchEnd = Math.min(train.size(), from + spec.batchSize());
                for (int m = from; m < batchEnd; m += micro) {
                    long i = iteration++;
                    // Stage 0 enforces the 1F1B limit itself; feeding twice as far ahead keeps its next
                    // input queued there instead of a broker round trip away.
                    int allowed = spec.schedule().equals("gpipe") ? spec.microBatches() : 2 * stages;
                    await(() -> i - done < allowed, timeouts.stallMillis(), "micro-batch " + (i - allowed) + " to finish");
                    feed(i, train, order, m, Math.min(micro, batchEnd - m), stages);
                }
                if (spec.schedule().equals("gpipe")) {
                    long fed = iteration;
                    await(() -> done == fed, timeouts.stallMillis(), "the step to flush");
                }
                report();
            }
            long fed = iteration;
            await(() -> done == fed, timeouts.stallMillis(), "the epoch's last micro-batches");
            report();
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            trainNanos += System.nanoTime() - epochStart;
            modelWeights = collect(stages, iteration);
            LocalPipeline.BatchResult eval = evaluate(model, modelWeights, test);
            JobReport.Epoch result;
            synchronized (lock) {
                result = new JobReport.Epoch(epoch + 1, lossSum / Math.max(1, lossSamples),
                        (double) correct / Math.max(1, lossSamples), eval.loss(),
                        (double) eval.correct() / test.size(), seconds);
            }
            epochs.add(result);
            listener.epochDone(result);
            event("epoch " + (epoch + 1) + ": test accuracy " + String.format("%.4f", result.testAccuracy()));
        }

        Path out = config.dataDir().resolve("jobs").resolve(spec.id()).resolve("model.onnx");
        InferenceExporter.write(model, modelWeights, out);
        for (String d : devices.subList(0, stages)) {
            send(d, Topics.device(d, Topics.COMMAND), new Message.Stop(spec.id(), term, "job complete"), iteration);
        }
        event("job complete; model written to " + out);
        long samples = (long) train.size() * spec.epochs();
        return new JobReport(spec.id(), spec.model(), spec.schedule(), devices, plan, epochs,
                epochs.get(epochs.size() - 1).testAccuracy(), samples / (trainNanos / 1e9),
                (System.nanoTime() - started) / 1e9, List.copyOf(events), rejections.snapshot(), out.toString());
    }

    private Dataset trainSet() {
        Dataset d = spec.synthetic() > 0 ? SyntheticDataset.generate(spec.synthetic(), spec.seed())
                : FashionMnist.train(config.datasetDir());
        return d.limit(spec.trainLimit());
    }

    private void feed(long i, Dataset data, int[] order, int from, int n, int stages) {
        int size = data.rows() * data.cols();
        float[] images = new float[n * size];
        long[] labels = new long[n];
        data.copyBatch(order, from, n, images, labels);
        send(devices.get(stages - 1), Topics.stage(spec.id(), stages - 1, Topics.LABELS),
                new Message.Labels(spec.id(), term, i, Tensor.ofLongs(new long[]{n}, labels, n)), i);
        send(devices.get(0), Topics.stage(spec.id(), 0, Topics.FORWARD), new Message.Forward(spec.id(), term, i,
                Tensor.ofFloats(new long[]{n, 1, data.rows(), data.cols()}, FloatBuffer.wrap(images))), i);
    }

    private void report() {
        synchronized (lock) {
            listener.microBatchDone(done, lossSamples == 0 ? Double.NaN : lossSum / lossSamples);
        }
    }

    private void resetLoss() {
        synchronized (lock) {
            lossSum = 0;
            correct = 0;
            lossSamples = 0;
        }
    }

    /** Asks every stage for its unit states and assembles the whole model's weights. */
    private Map<String, float[]> collect(int stages, long iteration) throws Exception {
        synchronized (lock) {
            weights.clear();
        }
        for (int s = 0; s < stages; s++) {
            send(devices.get(s), Topics.device(devices.get(s), Topics.COMMAND), new Message.Collect(spec.id(), term, iteration),
                    iteration);
        }
        await(() -> weights.size() == stages, timeouts.stallMillis(), "the stages' weights");
        Map<String, float[]> all = new LinkedHashMap<>();
        synchronized (lock) {
            weights.values().forEach(w -> w.units().forEach(u -> all.putAll(u.values())));
        }
        return all;
    }

    private LocalPipeline.BatchResult evaluate(Model model, Map<String, float[]> w, Dataset test) throws Exception {
        try (LocalPipeline p = new LocalPipeline(OrtEnvironment.getEnvironment(), model, new int[]{0, model.size()},
                spec.seed(), config.threads())) {
            for (ParamStore.Entry e : p.stages().get(0).store().entries()) {
                float[] v = w.get(e.name());
                if (v == null) {
                    throw new IllegalStateException("no stage sent the weights of " + e.name());
                }
                e.write(v);
            }
            return LocalTrainer.evaluate(p, test);
        }
    }

    private List<String> waitForDevices() throws Exception {
        long deadline = System.currentTimeMillis() + timeouts.devicesMillis();
        while (true) {
            List<String> alive = registry.alive(config.heartbeatTimeoutMillis());
            if (alive.size() >= spec.devices()) {
                List<String> chosen = alive.subList(0, spec.devices());
                event("devices " + chosen + " planned (alive: " + alive + ")");
                return List.copyOf(chosen);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new TimeoutException("only " + alive.size() + " of " + spec.devices() + " devices joined: "
                        + alive);
            }
            Thread.sleep(100);
        }
    }

    /** Publishes to the topic that {@code device} receives on, in pieces that device accepts. */
    private void send(String device, String topic, Message m, long iteration) {
        byte[] bytes = MessageCodec.encode(m);
        int chunkBytes = Chunks.chunkBytesFor(registry.maxPayloadBytes(device), CHUNK_BYTES);
        CompletableFuture<Void> last = null;
        for (byte[] piece : Chunks.split(bytes, chunkBytes, spec.id(), term, iteration, messageIds++)) {
            last = publisher.publish(topic, piece, 1, false);
        }
        last.orTimeout(30, TimeUnit.SECONDS).join();
    }

    private void await(BooleanSupplier condition, long timeoutMillis, String what) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (lock) {
            while (!condition.getAsBoolean()) {
                if (failure != null) {
                    throw new IllegalStateException(failure);
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new TimeoutException("waited " + timeoutMillis + " ms for " + what);
                }
                lock.wait(Math.min(left, 1000));
            }
        }
    }

    private void event(String what) {
        String line = String.format("%.1fs %s", (System.nanoTime() - started) / 1e9, what);
        events.add(line);
        LOG.info(line);
        listener.event(what);
        publishStatus(what);
    }

    /** The job's state as retained JSON, so any MQTT dashboard sees it without asking. */
    private void publishStatus(String lastEvent) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("job", spec.id());
        status.put("model", spec.model());
        status.put("schedule", spec.schedule());
        status.put("term", term);
        status.put("devices", devices);
        synchronized (lock) {
            status.put("micro_batches_done", done);
        }
        status.put("last_event", lastEvent);
        status.put("seconds", (System.nanoTime() - started) / 1e9);
        try {
            publisher.publish(Topics.job(spec.id(), Topics.STATUS), STATUS_JSON.writeValueAsBytes(status), 1, true);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a map of plain values always serialises", e);
        }
    }
}
