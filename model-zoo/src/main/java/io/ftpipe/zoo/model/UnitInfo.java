package io.ftpipe.zoo.model;

/**
 * What the planner needs to know of a unit, per sample where it says so.
 *
 * @param paramCount  trainable parameters and buffers (elements)
 * @param paramBytes  their bytes in float32
 * @param flops       forward floating-point operations per sample
 * @param outputShape per-sample output shape
 * @param outputBytes per-sample output bytes in float32 (what crosses a stage boundary)
 */
public record UnitInfo(int index, String name, String description, long paramCount, long paramBytes, long flops,
                       long[] outputShape, long outputBytes) {
}
