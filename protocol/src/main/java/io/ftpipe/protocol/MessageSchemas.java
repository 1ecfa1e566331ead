package io.ftpipe.protocol;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.ftpipe.protocol.WireField.bin;
import static io.ftpipe.protocol.WireField.binaries;
import static io.ftpipe.protocol.WireField.flag;
import static io.ftpipe.protocol.WireField.int32;
import static io.ftpipe.protocol.WireField.ints;
import static io.ftpipe.protocol.WireField.longs;
import static io.ftpipe.protocol.WireField.map;
import static io.ftpipe.protocol.WireField.messages;
import static io.ftpipe.protocol.WireField.num;
import static io.ftpipe.protocol.WireField.real;
import static io.ftpipe.protocol.WireField.str;
import static io.ftpipe.protocol.WireField.tensor;

/**
 * Every message's {@code type} and fields, each field once, in the order of its record's
 * components (which is the order on the wire, docs/protocol.md). Fields added after a message
 * type first shipped are optional ({@code orAbsent}), for older peers.
 */
final class MessageSchemas {
    private static final String UNIT_STATES = "binary unit states";

    /** A message type: its {@code type} name and its fields. */
    record Type(String name, RecordSchema<?> schema) {
    }

    static final List<Type> ALL = List.of(
            new Type("hello", new RecordSchema<>(Message.Hello.class,
                    str("device"), int32("cores"), num("memory_bytes"), int32("threads"), str("version"),
                    int32("max_payload_bytes"))),
            new Type("heartbeat", new RecordSchema<>(Message.Heartbeat.class,
                    str("device"), num("seq"),
                    new RecordSchema<>(Message.Heartbeat.Activity.class,
                            str("state"), str("job"), num("term"), int32("stage")),
                    real("compute_ms"), num("rejected"),
                    new RecordSchema<>(Message.Heartbeat.StageTime.class,
                            real("compute_total_ms"), real("send_total_ms"), real("stage_ms")),
                    new RecordSchema<>(Message.Heartbeat.StageCounts.class,
                            num("forwards"), num("micro_batches"), num("sent_bytes")),
                    new RecordSchema<>(Message.Heartbeat.Replication.class,
                            num("replicated_bytes"), real("replicated_ms")),
                    new RecordSchema<>(Message.Heartbeat.Boundary.class,
                            real("boundary_ms").orAbsent(0.0), num("boundary_bytes").orAbsent(0L)))),
            new Type("assign", new RecordSchema<>(Message.Assign.class,
                    str("job"), num("term"), int32("stage"), int32("stages"), bin("graphs"),
                    map("optimizer", new RecordSchema<>(OptimizerSettings.class,
                            str("kind"), real("lr"), real("momentum"), real("weight_decay"), real("beta1"),
                            real("beta2"), real("eps"))),
                    binaries("units", UNIT_STATES), ints("kept").orAbsent(List.of()), str("schedule"),
                    int32("micro_batches"), int32("max_batch"), num("start"), int32("chain_period"),
                    int32("global_period"), longs("versions").omittedWhen(List.of()),
                    str("wire_dtype").omittedWhen(WireDtype.FLOAT32.label()))),
            new Type("emulate", new RecordSchema<>(Message.Emulate.class, str("device"), real("slowdown"))),
            new Type("ack", new RecordSchema<>(Message.Ack.class,
                    str("job"), num("term"), int32("stage"), str("device"))),
            new Type("prepare", new RecordSchema<>(Message.Prepare.class,
                    str("job"), num("term"), int32("stage"), bin("graphs"), int32("max_batch"))),
            new Type("prepared", new RecordSchema<>(Message.Prepared.class,
                    str("job"), num("term"), int32("stage"), str("device"))),
            new Type("collect", new RecordSchema<>(Message.Collect.class,
                    str("job"), num("term"), num("request"), flag("ends_term").orAbsent(false))),
            new Type("weights", new RecordSchema<>(Message.Weights.class,
                    str("job"), num("term"), num("request"), int32("stage"), num("iteration"),
                    binaries("units", UNIT_STATES),
                    messages("held", Message.Replica.class, "encoded replica messages"),
                    longs("versions").omittedWhen(List.of()))),
            new Type("replica", new RecordSchema<>(Message.Replica.class,
                    str("job"), num("term"), int32("stage"), num("iteration"), binaries("units", UNIT_STATES),
                    longs("versions").omittedWhen(List.of()))),
            new Type("stop", new RecordSchema<>(Message.Stop.class, str("job"), num("term"), str("reason"))),
            new Type("forward", new RecordSchema<>(Message.Forward.class,
                    str("job"), num("term"), num("iteration"), tensor("x"))),
            new Type("backward", new RecordSchema<>(Message.Backward.class,
                    str("job"), num("term"), num("iteration"), tensor("dy"), real("held_ms").orAbsent(Double.NaN))),
            new Type("labels", new RecordSchema<>(Message.Labels.class,
                    str("job"), num("term"), num("iteration"), tensor("labels"))),
            new Type("progress", new RecordSchema<>(Message.Progress.class,
                    str("job"), num("term"), num("iteration"), int32("stage"), str("kind"), real("loss"),
                    num("correct"), int32("count"))),
            new Type("error", new RecordSchema<>(Message.DeviceError.class,
                    str("job"), num("term"), str("device"), str("reason"))),
            new Type("chunk", new RecordSchema<>(Message.Chunk.class,
                    str("job"), num("term"), num("iteration"), num("id"), int32("index"), int32("count"),
                    bin("data"))));

    static final Map<Class<?>, Type> BY_CLASS = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(t -> t.schema().type(), Function.identity()));
    static final Map<String, Type> BY_NAME = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Type::name, Function.identity()));

    private MessageSchemas() {
    }
}
