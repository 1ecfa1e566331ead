package io.ftpipe.zoo.optim;

import java.util.List;

/** An optimizer's state for one parameter: steps taken and its slots (momentum, Adam moments). */
public record ParamState(long step, List<float[]> slots) {
}
