package io.ftpipe.cli.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A training run as a picture: running training loss over micro-batches, and test accuracy after
 * each epoch on a second axis. Headless, so it works on servers and in CI.
 */
public final class TrainingChart {
    private final List<Double> lossX = new ArrayList<>();
    private final List<Double> lossY = new ArrayList<>();
    private final List<Double> accuracyX = new ArrayList<>();
    private final List<Double> accuracyY = new ArrayList<>();

    public synchronized void loss(long microBatches, double loss) {
        if (Double.isFinite(loss)) {
            lossX.add((double) microBatches);
            lossY.add(loss);
        }
    }

    public synchronized void testAccuracy(long microBatches, double accuracy) {
        accuracyX.add((double) microBatches);
        accuracyY.add(accuracy);
    }

    /** Writes the PNG; nothing when no point was recorded. */
    public synchronized void write(Path png, String title) throws IOException {
        if (lossX.isEmpty()) {
            return;
        }
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("steps (micro-batches)")
                .yAxisTitle("training loss (running mean)").build();
        chart.setYAxisGroupTitle(1, "test accuracy");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisMin(1, 0.0);
        chart.getStyler().setYAxisMax(1, 1.0);
        XYSeries loss = chart.addSeries("training loss", lossX, lossY);
        loss.setMarker(SeriesMarkers.NONE);
        if (!accuracyX.isEmpty()) {
            XYSeries acc = chart.addSeries("test accuracy", accuracyX, accuracyY);
            acc.setYAxisGroup(1);
            acc.setMarker(SeriesMarkers.CIRCLE);
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
