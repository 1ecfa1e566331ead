package io.ftpipe.device.stage;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.OptimizerSettings;
import io.ftpipe.protocol.ProtocolException;
import io.ftpipe.protocol.RejectReason;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.stage.StageGraphs;
import io.ftpipe.zoo.stage.StageGraphsCodec;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStatePayloads;

import java.util.List;

/**
 * An {@code assign} with what it carries decoded: the stage's graphs, its optimizer and the states
 * of the units it gives. The device decodes them as the message arrives, so a payload that does
 * not decode is a malformed message, rejected before anything changes.
 */
public record Assignment(Message.Assign message, StageGraphs graphs, OptimizerConfig optimizer,
                         List<UnitState> units) {

    /**
     * @throws ProtocolException ({@code MALFORMED}) if the graphs, the optimizer settings or a unit
     *                           state are unusable
     */
    public static Assignment decode(Message.Assign a) {
        return new Assignment(a, StageGraphsCodec.decode(a.graphs()), optimizer(a.optimizer()),
                UnitStatePayloads.decode(a.units()));
    }

    public String job() {
        return message.job();
    }

    public long term() {
        return message.term();
    }

    public int stage() {
        return message.stage();
    }

    public int stages() {
        return message.stages();
    }

    /** This assignment with {@code all} as its units' states (those it gave and those the device kept). */
    public Assignment withUnits(List<UnitState> all) {
        return new Assignment(message, graphs, optimizer, List.copyOf(all));
    }

    private static OptimizerConfig optimizer(OptimizerSettings s) {
        try {
            return new OptimizerConfig(s.kind(), s.lr(), s.momentum(), s.weightDecay(), s.beta1(), s.beta2(), s.eps());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(RejectReason.MALFORMED, e.getMessage());
        }
    }
}
