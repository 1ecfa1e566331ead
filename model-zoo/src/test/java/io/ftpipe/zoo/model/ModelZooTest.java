package io.ftpipe.zoo.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelZooTest {

    @Test
    void unknownModelNamesTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("resnet"));
        assertEquals("unknown model 'resnet'; known models: mlp, cnn, mobilenetv2", e.getMessage());
    }

    @Test
    void unitRangeOutOfBoundsIsAClearError() {
        Model m = ModelZoo.cnn();
        var e = assertThrows(IllegalArgumentException.class, () -> m.checkRange(2, 9));
        assertEquals("unit range [2, 9) is out of bounds for model cnn with 6 units (valid: 0 <= from < to <= 6)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.checkRange(3, 3));
    }

    @Test
    void metadataOfTheMlp() {
        var info = ModelZoo.mlp().info();
        assertEquals(3, info.size());
        assertEquals(784 * 512 + 512, info.get(0).paramCount());
        assertEquals(4L * (784 * 512 + 512), info.get(0).paramBytes());
        assertEquals(2L * 784 * 512 + 512, info.get(0).flops()); // Linear plus one op per ReLU element
        assertArrayEquals(new long[]{512}, info.get(0).outputShape());
        assertEquals(512 * 4, info.get(0).outputBytes());
    }

    @Test
    void everyModelEndsInTenLogits() {
        for (String name : ModelZoo.NAMES) {
            var info = ModelZoo.create(name).info();
            assertArrayEquals(new long[]{10}, info.get(info.size() - 1).outputShape(), name);
        }
    }
}
