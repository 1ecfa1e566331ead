package io.ftpipe.cli.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TrainingChartTest {
    @TempDir
    Path dir;

    private static TrainingChart lossAndAccuracy() {
        TrainingChart c = new TrainingChart();
        for (int i = 1; i <= 50; i++) {
            c.loss(i, 2.0 / i);
        }
        c.testAccuracy(50, 0.8);
        return c;
    }

    @Test
    void throughputAndMomentsGoBelowTheLossPanel() throws Exception {
        Path alone = dir.resolve("alone.png");
        lossAndAccuracy().write(alone, "loss only");
        BufferedImage top = ImageIO.read(alone.toFile());

        TrainingChart c = lossAndAccuracy();
        c.throughput(List.of(new double[]{1, 100}, new double[]{2, 120}, new double[]{3, 90}));
        c.moment("re-partition", 1.5);
        c.moment("recovery", 2.5);
        Path both = dir.resolve("both.png");
        c.write(both, "loss and throughput");
        BufferedImage stacked = ImageIO.read(both.toFile());
        assertEquals(top.getWidth(), stacked.getWidth());
        assertTrue(stacked.getHeight() > top.getHeight() + 400, "a throughput panel of its own: "
                + stacked.getHeight());
    }

    @Test
    void nothingRecordedWritesNothing() throws Exception {
        Path png = dir.resolve("none.png");
        new TrainingChart().write(png, "empty");
        assertFalse(Files.exists(png));
    }
}
