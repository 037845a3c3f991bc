package dev.vdrop.samples;

import dev.vdrop.runtime.mc.Interval;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.geom.Line2D;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** Charts drawn with JFreeChart, headless, written as PNG. */
final class Plots {
    private static final Color TRUTH = new Color(0x22, 0x22, 0x22);
    private static final Color MEAN = new Color(0xd6, 0x4f, 0x1a);
    private static final Color BAND_95 = new Color(0xc6, 0xdb, 0xef);
    private static final Color BAND_80 = new Color(0x6b, 0xae, 0xd6);
    private static final Color GRID = new Color(0xdd, 0xdd, 0xdd);

    private Plots() {}

    /**
     * The forecast over the test span: the observed values, the predictive mean, and the 80% and
     * 95% intervals as bands (the 80% band darker, inside the 95% one). The whole span fills the
     * left two thirds; its last {@code zoom} values, where single steps can be told apart, the right
     * third, on the same value axis (a span of at most 2 · zoom values gets the whole width).
     *
     * @param xLabel what the x values are, e.g. {@code row of us-births-1969-1988.csv}
     * @param yLabel the series, e.g. {@code births}
     */
    static void forecast(Path file, ForecastReport report, String title, String subtitle, String xLabel, String yLabel,
                         int zoom, int width, int height) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int n = report.size();
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        y.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        CombinedRangeXYPlot plot = new CombinedRangeXYPlot(y);
        plot.setGap(12);
        plot.add(panel(report, 0, n, xLabel), 2);
        if (n > 2 * zoom) {
            plot.add(panel(report, n - zoom, n, "the last " + zoom + " values"), 1);
        }
        plot.setFixedLegendItems(legend());

        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 16), plot, true);
        chart.addSubtitle(new TextTitle(subtitle, new Font("SansSerif", Font.PLAIN, 12)));
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
    }

    /** One panel: the values {@code [from, to)} of the report, bands behind the lines. */
    private static XYPlot panel(ForecastReport report, int from, int to, String xLabel) {
        int[] index = report.index();
        double[] truth = report.truth();
        double[] mean = report.mean();
        List<Interval> i80 = report.intervals(0.8);
        List<Interval> i95 = report.intervals(0.95);
        YIntervalSeries band95 = new YIntervalSeries("95% interval");
        YIntervalSeries band80 = new YIntervalSeries("80% interval");
        XYSeries observed = new XYSeries("observed");
        XYSeries predicted = new XYSeries("predictive mean");
        for (int i = from; i < to; i++) {
            band95.add(index[i], mean[i], i95.get(i).lo(), i95.get(i).hi());
            band80.add(index[i], mean[i], i80.get(i).lo(), i80.get(i).hi());
            observed.add(index[i], truth[i]);
            predicted.add(index[i], mean[i]);
        }
        YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
        bands.addSeries(band95);
        bands.addSeries(band80);
        XYSeriesCollection lines = new XYSeriesCollection();
        lines.addSeries(observed);
        lines.addSeries(predicted);

        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        x.setNumberFormatOverride(new DecimalFormat("#,##0"));
        x.setLowerMargin(0.01);
        x.setUpperMargin(0.01);

        DeviationRenderer bandRenderer = new DeviationRenderer(false, false);
        bandRenderer.setSeriesFillPaint(0, BAND_95);
        bandRenderer.setSeriesFillPaint(1, BAND_80);
        bandRenderer.setAlpha(1f);

        XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
        lineRenderer.setSeriesPaint(0, TRUTH);
        lineRenderer.setSeriesStroke(0, new BasicStroke(0.9f));
        lineRenderer.setSeriesPaint(1, MEAN);
        lineRenderer.setSeriesStroke(1, new BasicStroke(1.1f));

        XYPlot panel = new XYPlot(lines, x, null, lineRenderer);
        panel.setDataset(1, bands);
        panel.setRenderer(1, bandRenderer);
        panel.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE); // bands (dataset 1) behind the lines
        panel.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // the 80% band over the 95% one
        panel.setBackgroundPaint(Color.WHITE);
        panel.setDomainGridlinePaint(GRID);
        panel.setRangeGridlinePaint(GRID);
        return panel;
    }

    private static LegendItemCollection legend() {
        LegendItemCollection items = new LegendItemCollection();
        items.add(line("observed", TRUTH));
        items.add(line("predictive mean", MEAN));
        items.add(new LegendItem("80% interval", null, null, null, new Rectangle(-6, -5, 12, 10), BAND_80));
        items.add(new LegendItem("95% interval", null, null, null, new Rectangle(-6, -5, 12, 10), BAND_95));
        return items;
    }

    private static LegendItem line(String label, Color color) {
        return new LegendItem(label, null, null, null, false, new Rectangle(), false, color, false, color,
                new BasicStroke(1f), true, new Line2D.Double(-8, 0, 8, 0), new BasicStroke(2f), color);
    }
}
