package io.ftpipe.cli.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run as a picture: running training loss over micro-batches and test accuracy after
 * each epoch on a second axis; below, when recorded, throughput over time with re-partitions and
 * recoveries marked. Headless, so it works on servers and in CI.
 */
public final class TrainingChart {
    private final List<Double> lossX = new ArrayList<>();
    private final List<Double> lossY = new ArrayList<>();
    private final List<Double> accuracyX = new ArrayList<>();
    private final List<Double> accuracyY = new ArrayList<>();
    private final List<double[]> throughput = new ArrayList<>();
    private final Map<String, List<Double>> moments = new LinkedHashMap<>();

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

    /** Throughput over time: (seconds since the job started, samples/s) pairs, replacing any before. */
    public synchronized void throughput(List<double[]> points) {
        throughput.clear();
        throughput.addAll(points);
    }

    /** Something that happened at {@code seconds}, e.g. a re-partition; one line style per kind. */
    public synchronized void moment(String kind, double seconds) {
        moments.computeIfAbsent(kind, k -> new ArrayList<>()).add(seconds);
    }

    /** Writes the PNG; nothing when no point was recorded. */
    public synchronized void write(Path png, String title) throws IOException {
        if (lossX.isEmpty()) {
            return;
        }
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1000).height(500).title(title).xAxisTitle("steps (micro-batches)")
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
        BufferedImage top = BitmapEncoder.getBufferedImage(chart);
        if (throughput.isEmpty()) {
            ImageIO.write(top, "png", png.toFile());
            return;
        }
        ThroughputChart below = new ThroughputChart("throughput");
        below.series("samples/s", throughput);
        moments.forEach(below::moments);
        ImageIO.write(stacked(top, below.image()), "png", png.toFile());
    }

    private static BufferedImage stacked(BufferedImage a, BufferedImage b) {
        var out = new BufferedImage(Math.max(a.getWidth(), b.getWidth()), a.getHeight() + b.getHeight(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, 0, a.getHeight(), null);
        g.dispose();
        return out;
    }
}
