package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import io.ftpipe.zoo.layer.Window;
import io.ftpipe.zoo.onnx.Attr;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WindowsTest {

    private static NodeProto node(AttributeProto... attrs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType("Conv").setName("/conv");
        for (AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        return b.build();
    }

    @Test
    void aOneDimensionalWindowIsOneOfHeightOne() {
        Windows w = Windows.of(node(Attr.ints("strides", 2), Attr.ints("pads", 1, 1), Attr.ints("dilations", 3)),
                new long[]{128}, new long[]{5});
        assertEquals(new Window(1, 5, 1, 2, 0, 1, 1, 3), w.window());
        assertEquals(false, w.hasExtra());
    }

    @Test
    void sameUpperAndLowerPutTheOddPaddingAfterAndBefore() {
        Windows upper = Windows.of(node(Attr.s("auto_pad", "SAME_UPPER")), new long[]{5, 6}, new long[]{2, 3});
        assertEquals(new Window(2, 3, 1, 1, 0, 1, 1, 1), upper.window());
        assertArrayEquals(new long[]{0, 0}, upper.extraBegin());
        assertArrayEquals(new long[]{1, 0}, upper.extraEnd());
        Windows lower = Windows.of(node(Attr.s("auto_pad", "SAME_LOWER"), Attr.ints("strides", 2, 2)),
                new long[]{6, 6}, new long[]{2, 2});
        assertArrayEquals(new long[]{0, 0}, lower.extraEnd());
        assertArrayEquals(new long[]{0, 0}, lower.extraBegin(), "stride 2 over 6 with a 2-wide kernel needs no padding");
        Windows lowerOdd = Windows.of(node(Attr.s("auto_pad", "SAME_LOWER")), new long[]{5}, new long[]{2});
        assertArrayEquals(new long[]{0, 1}, lowerOdd.extraBegin());
    }

    @Test
    void explicitAsymmetricPadsSplitIntoTheWindowsAndExtra() {
        Windows w = Windows.of(node(Attr.ints("pads", 0, 2, 1, 1)), new long[]{5, 5}, new long[]{3, 3});
        assertEquals(new Window(3, 3, 1, 1, 0, 1, 1, 1), w.window());
        assertArrayEquals(new long[]{0, 1}, w.extraBegin());
        assertArrayEquals(new long[]{1, 0}, w.extraEnd());
    }

    @Test
    void ceilModeIsAcceptedOnlyWhereItChangesNothing() {
        NodeProto tiling = node(Attr.ints("kernel_shape", 2, 2), Attr.ints("strides", 2, 2), Attr.i("ceil_mode", 1));
        assertDoesNotThrow(() -> Windows.checkFloorMode(tiling, new long[]{6, 6},
                Windows.of(tiling, new long[]{6, 6}, null)));
        ImportException e = assertThrows(ImportException.class, () -> Windows.checkFloorMode(tiling, new long[]{7, 7},
                Windows.of(tiling, new long[]{7, 7}, null)));
        assertEquals("node '/conv' (Conv): ceil_mode=1 makes a last window that hangs over the edge; export with "
                + "ceil_mode=False or an input size that the windows tile", e.getMessage());
    }
}
