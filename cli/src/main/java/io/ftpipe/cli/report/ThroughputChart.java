package io.ftpipe.cli.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Throughput over time of several runs, with moments (re-partitions, a slow-down) as vertical lines. */
public final class ThroughputChart {
    /** Tableau's ten: told apart at a glance, also by most colour-blind readers (the default repeats shades). */
    private static final Color[] PALETTE = Stream.of(0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948,
            0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac).map(Color::new).toArray(Color[]::new);
    private final XYChart chart;
    private double top = 1;
    private final List<Runnable> marks = new ArrayList<>();

    public ThroughputChart(String title) {
        System.setProperty("java.awt.headless", "true");
        chart = new XYChartBuilder().width(1000).height(520).title(title).xAxisTitle("seconds since the job started")
                .yAxisTitle("samples/s").build();
        chart.getStyler().setSeriesColors(PALETTE);
    }

    /** A run's windowed throughput, as (seconds, samples/s) pairs. */
    public void series(String name, List<double[]> points) {
        if (points.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, points.stream().map(p -> p[0]).toList(),
                points.stream().map(p -> p[1]).toList());
        s.setMarker(SeriesMarkers.NONE);
        top = Math.max(top, points.stream().mapToDouble(p -> p[1]).max().orElse(0));
    }

    /** A vertical line at each of {@code seconds}, drawn once the height of the chart is known. */
    public void moments(String name, List<Double> seconds) {
        if (seconds.isEmpty()) {
            return;
        }
        marks.add(() -> {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (double t : seconds) {
                // NaN breaks the line between moments, so each is its own vertical segment.
                x.addAll(List.of(t, t, t));
                y.addAll(List.of(0.0, top * 1.05, Double.NaN));
            }
            XYSeries s = chart.addSeries(name, x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(SeriesLines.DASH_DASH);
        });
    }

    public void write(Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image(), "png", png.toFile());
    }

    /** The chart as a picture, moments drawn; call once. */
    public BufferedImage image() {
        marks.forEach(Runnable::run);
        return BitmapEncoder.getBufferedImage(chart);
    }
}
