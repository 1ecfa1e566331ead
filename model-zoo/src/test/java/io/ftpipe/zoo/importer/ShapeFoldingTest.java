package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.NodeProto;
import io.ftpipe.zoo.onnx.Attr;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shape arithmetic folded at import ({@link ConstFolder}) and where Reshape puts the batch ({@link Reshapes}). */
class ShapeFoldingTest {

    private static NodeProto node(String op, ai.onnx.proto.OnnxMl.AttributeProto... attrs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName("/" + op).addOutput("out");
        for (var a : attrs) {
            b.addAttribute(a);
        }
        return b.build();
    }

    /** x.view(x.size(0), -1): Shape, Gather, Unsqueeze, Concat. */
    @Test
    void theBatchSizeTravelsThroughShapeArithmetic() {
        Const shape = ConstFolder.shapeOf(node("Shape"), new long[]{64, 1, 1});
        assertArrayEquals(new boolean[]{true, false, false, false}, shape.batch());
        Const batch = ConstFolder.fold(node("Gather", Attr.i("axis", 0)), List.of(shape, Const.ints(new long[0], 0)));
        assertEquals(0, batch.rank());
        Const unsqueezed = ConstFolder.fold(node("Unsqueeze"), List.of(batch, Const.vector(0)));
        Const target = ConstFolder.fold(node("Concat", Attr.i("axis", 0)), List.of(unsqueezed, Const.vector(-1)));
        assertArrayEquals(new long[]{2}, target.shape());
        assertTrue(target.batch()[0]);
        assertFalse(target.batch()[1]);
        assertArrayEquals(new long[]{64}, Reshapes.sample(node("Reshape"), new long[]{64, 1, 1}, target, 0, false));
    }

    @Test
    void arithmeticOnTheBatchSizeIsRefused() {
        Const shape = ConstFolder.shapeOf(node("Shape"), new long[]{4});
        ImportException e = assertThrows(ImportException.class,
                () -> ConstFolder.fold(node("Mul"), List.of(shape, Const.vector(2, 1))));
        assertEquals("node '/Mul' (Mul): computes with the batch size, which is only known while training", e.getMessage());
    }

    @Test
    void shapeArithmeticOnKnownDimensions() {
        Const shape = ConstFolder.shapeOf(node("Shape", Attr.i("start", 1)), new long[]{3, 8, 8});
        assertFalse(shape.hasBatch());
        Const hw = ConstFolder.fold(node("Slice"), List.of(shape, Const.vector(1), Const.vector(Long.MAX_VALUE)));
        Const area = ConstFolder.fold(node("Mul"), List.of(
                ConstFolder.fold(node("Gather", Attr.i("axis", 0)), List.of(hw, Const.ints(new long[0], 0))),
                ConstFolder.fold(node("Gather", Attr.i("axis", 0)), List.of(hw, Const.ints(new long[0], 1)))));
        assertArrayEquals(new long[]{64}, new long[]{area.longs("area")[0]});
        Const floats = ConstFolder.fold(node("Cast", Attr.i("to", 1)), List.of(area));
        assertFalse(floats.integer());
        Const half = ConstFolder.fold(node("Div"), List.of(Const.vector(7, -7), Const.vector(2)));
        assertArrayEquals(new long[]{3, -3}, half.longs("half"), "integer division truncates as ONNX Runtime's");
    }

    @Test
    void reshapeTargetsThatKeepTheBatchFirst() {
        long[] sample = {4, 3, 2};
        assertArrayEquals(new long[]{4, 6}, Reshapes.sample(node("Reshape"), sample, Const.vector(0, 4, -1), 0, false));
        assertArrayEquals(new long[]{24}, Reshapes.sample(node("Reshape"), sample, Const.vector(-1, 24), 0, false));
        assertArrayEquals(new long[]{12, 2}, Reshapes.sample(node("Reshape"), sample, Const.vector(8, 12, 2), 8, false),
                "a fixed-batch export writes its batch size");
        assertArrayEquals(new long[]{4, 3, 2}, Reshapes.sample(node("Reshape"), sample, Const.vector(0, 0, 0, 0), 0, false));
    }

    @Test
    void reshapeTargetsThatMixSamplesAreRefused() {
        long[] sample = {4, 3, 2};
        ImportException mixed = assertThrows(ImportException.class,
                () -> Reshapes.sample(node("Reshape"), sample, Const.vector(-1, 12), 0, false));
        assertEquals("node '/Reshape' (Reshape): reshapes [4, 3, 2] per sample to [-1, 12], which mixes samples",
                mixed.getMessage());
        ImportException notFirst = assertThrows(ImportException.class,
                () -> Reshapes.sample(node("Reshape"), sample, Const.vector(6, -1), 0, false));
        assertEquals("node '/Reshape' (Reshape): reshapes to [6, -1], which does not keep the batch dimension first",
                notFirst.getMessage());
    }
}
