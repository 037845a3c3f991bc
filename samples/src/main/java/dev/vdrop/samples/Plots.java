package dev.vdrop.samples;

import dev.vdrop.runtime.forecast.SeriesPrediction;
import dev.vdrop.runtime.forecast.StepScores;
import dev.vdrop.runtime.mc.Interval;
import dev.vdrop.runtime.metrics.Calibration;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.geom.Line2D;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.function.IntFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.DateTickUnit;
import org.jfree.chart.axis.DateTickUnitType;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** Charts drawn with JFreeChart, headless, written as PNG atomically (through {@link Outputs}). */
final class Plots {
    private static final Color TRUTH = new Color(0x22, 0x22, 0x22);
    private static final Color MEAN = new Color(0xd6, 0x4f, 0x1a);
    private static final Color BAND_95 = new Color(0xc6, 0xdb, 0xef);
    private static final Color BAND_80 = new Color(0x6b, 0xae, 0xd6);
    private static final Color GRID = new Color(0xdd, 0xdd, 0xdd);
    private static final Color ACCURACY = new Color(0x6b, 0xae, 0xd6);
    /** The future's mean: dashed, the predictive mean's colour. */
    private static final BasicStroke FUTURE = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 3f}, 0f);

    private Plots() {}

    /**
     * The forecast over the test span: the observed values, the predictive mean, and the 80% and
     * 95% intervals as bands (the 80% band darker, inside the 95% one). The whole span fills the
     * left two thirds; its last {@code zoom} values, where single steps can be told apart, the right
     * third, on the same value axis (a span of at most 2 · zoom values gets the whole width).
     *
     * @param future the forecasts past the last row, drawn after the test span (dashed mean, the same bands), or null
     * @param dates the date of each row (a row past the data included), the x axis; null: the row numbers are
     * @param xLabel what the x values are, e.g. {@code row of us-births-1969-1988.csv}
     * @param yLabel the series, e.g. {@code births}
     */
    static void forecast(Path file, StepScores report, FutureForecast future, IntFunction<LocalDate> dates,
                         String title, String subtitle,
                         String xLabel, String yLabel, int zoom, int width, int height) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int n = report.size();
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        y.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        CombinedRangeXYPlot plot = new CombinedRangeXYPlot(y);
        plot.setGap(12);
        plot.add(panel(report, 0, n, future, dates, xLabel), 2);
        if (n > 2 * zoom) {
            plot.add(panel(report, n - zoom, n, future, dates, "the last " + zoom + " values"
                    + (future == null ? "" : " and the future")), 1);
        }
        plot.setFixedLegendItems(legend(future != null));

        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 16), plot, true);
        chart.addSubtitle(new TextTitle(subtitle, new Font("SansSerif", Font.PLAIN, 12)));
        chart.setBackgroundPaint(Color.WHITE);
        Outputs.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
    }

    /** One panel: the values {@code [from, to)} of the report, bands behind the lines. */
    private static XYPlot panel(StepScores report, int from, int to, FutureForecast future, IntFunction<LocalDate> dates,
                                String xLabel) {
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
            double x = x(index[i], dates);
            band95.add(x, mean[i], i95.get(i).lo(), i95.get(i).hi());
            band80.add(x, mean[i], i80.get(i).lo(), i80.get(i).hi());
            observed.add(x, truth[i]);
            predicted.add(x, mean[i]);
        }
        YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
        bands.addSeries(band95);
        bands.addSeries(band80);
        XYSeriesCollection lines = new XYSeriesCollection();
        lines.addSeries(observed);
        lines.addSeries(predicted);
        if (future != null) {
            YIntervalSeries future95 = new YIntervalSeries("future 95% interval");
            YIntervalSeries future80 = new YIntervalSeries("future 80% interval");
            XYSeries futureMean = new XYSeries("future mean");
            for (int i = 0; i < future.size(); i++) {
                SeriesPrediction p = future.predictions()[i];
                double x = x(future.index()[i], dates);
                future95.add(x, p.mean(), p.interval(0.95).lo(), p.interval(0.95).hi());
                future80.add(x, p.mean(), p.interval(0.8).lo(), p.interval(0.8).hi());
                futureMean.add(x, p.mean());
            }
            bands.addSeries(future95);
            bands.addSeries(future80);
            lines.addSeries(futureMean);
        }

        int last = future == null ? index[to - 1] : future.index()[future.index().length - 1];
        ValueAxis x = xAxis(dates, xLabel, index[from], last);

        DeviationRenderer bandRenderer = new DeviationRenderer(false, false);
        bandRenderer.setSeriesFillPaint(0, BAND_95);
        bandRenderer.setSeriesFillPaint(1, BAND_80);
        bandRenderer.setSeriesFillPaint(2, BAND_95);
        bandRenderer.setSeriesFillPaint(3, BAND_80);
        bandRenderer.setAlpha(1f);

        XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
        lineRenderer.setSeriesPaint(0, TRUTH);
        lineRenderer.setSeriesStroke(0, new BasicStroke(0.9f));
        lineRenderer.setSeriesPaint(1, MEAN);
        lineRenderer.setSeriesStroke(1, new BasicStroke(1.1f));
        lineRenderer.setSeriesPaint(2, MEAN);
        lineRenderer.setSeriesStroke(2, FUTURE);

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

    /** {@return where row {@code index} lies on the x axis: its number, or its date's midnight UTC in milliseconds} */
    private static double x(int index, IntFunction<LocalDate> dates) {
        return dates == null ? index : dates.apply(index).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /**
     * {@return the x axis: row numbers, or dates (UTC) when the rows have them} Dates over more than
     * three years are ticked in whole years, at most a dozen ticks (JFreeChart's own choice of
     * month ticks overlaps there).
     *
     * @param first the first row the axis shows
     * @param last its last row
     */
    private static ValueAxis xAxis(IntFunction<LocalDate> dates, String label, int first, int last) {
        ValueAxis x;
        if (dates == null) {
            NumberAxis rows = new NumberAxis(label);
            rows.setAutoRangeIncludesZero(false);
            rows.setNumberFormatOverride(new DecimalFormat("#,##0"));
            x = rows;
        } else {
            DateAxis days = new DateAxis(label);
            days.setTimeZone(TimeZone.getTimeZone(ZoneOffset.UTC));
            long years = ChronoUnit.YEARS.between(dates.apply(first), dates.apply(last));
            if (years > 3) {
                int every = yearsPerTick(years);
                SimpleDateFormat year = new SimpleDateFormat("yyyy", Locale.ROOT);
                year.setTimeZone(TimeZone.getTimeZone(ZoneOffset.UTC));
                days.setTickUnit(new DateTickUnit(DateTickUnitType.YEAR, every, year));
            }
            x = days;
        }
        x.setLowerMargin(0.01);
        x.setUpperMargin(0.01);
        return x;
    }

    /** {@return the smallest of 1, 2, 5, 10, 20, 50, … years per tick that gives at most 12 ticks over {@code years}} */
    static int yearsPerTick(long years) {
        for (int scale = 1; ; scale *= 10) {
            for (int mantissa : new int[] {1, 2, 5}) {
                if (years / ((long) mantissa * scale) <= 12) {
                    return mantissa * scale;
                }
            }
        }
    }

    /**
     * A reliability diagram: for each non-empty confidence bin of {@code calibration}, a bar from the
     * bin's lower to its upper edge as high as the bin's accuracy, labelled with its count
     * ({@code n=…}); a dot at the bin's mean confidence (where a calibrated bar's top would be); and the
     * diagonal accuracy = confidence. The subtitle gives the ECE and N. Both axes run from 0 to 1.
     *
     * @param title e.g. {@code names: MC dropout, 50 samples}
     */
    static void reliability(Path file, Calibration calibration, String title, int width, int height)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYIntervalSeries bars = new XYIntervalSeries("accuracy of the bin");
        XYSeries confidence = new XYSeries("mean confidence of the bin");
        List<Integer> counts = new ArrayList<>();
        for (Calibration.Bin bin : calibration.bins()) {
            if (bin.isEmpty()) {
                continue;
            }
            double middle = (bin.lower() + bin.upper()) / 2;
            bars.add(middle, bin.lower(), bin.upper(), bin.accuracy(), 0, bin.accuracy());
            confidence.add(middle, bin.meanConfidence());
            counts.add(bin.count());
        }
        XYIntervalSeriesCollection barData = new XYIntervalSeriesCollection();
        barData.addSeries(bars);
        XYSeries diagonal = new XYSeries("calibrated: accuracy = confidence");
        diagonal.add(0, 0);
        diagonal.add(1, 1);
        XYSeriesCollection lines = new XYSeriesCollection();
        lines.addSeries(diagonal);
        lines.addSeries(confidence);

        NumberAxis x = new NumberAxis("confidence (max of the mean probabilities), " + Calibration.BINS + " bins");
        x.setRange(0, 1);
        x.setTickUnit(new NumberTickUnit(0.1));
        NumberAxis y = new NumberAxis("accuracy");
        y.setRange(0, 1.08); // room for the count above a bar of accuracy 1
        y.setTickUnit(new NumberTickUnit(0.1));

        XYBarRenderer barRenderer = new XYBarRenderer(0.04);
        barRenderer.setBarPainter(new StandardXYBarPainter());
        barRenderer.setShadowVisible(false);
        barRenderer.setDrawBarOutline(true);
        barRenderer.setSeriesPaint(0, ACCURACY);
        barRenderer.setSeriesOutlinePaint(0, Color.WHITE);
        barRenderer.setDefaultItemLabelGenerator((dataset, series, item) -> "n=" + counts.get(item));
        barRenderer.setDefaultItemLabelsVisible(true);
        barRenderer.setDefaultItemLabelFont(new Font("SansSerif", Font.PLAIN, 10));
        barRenderer.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));

        XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer();
        lineRenderer.setSeriesLinesVisible(0, true);
        lineRenderer.setSeriesShapesVisible(0, false);
        lineRenderer.setSeriesPaint(0, TRUTH);
        lineRenderer.setSeriesStroke(0, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {5f, 4f}, 0f));
        lineRenderer.setSeriesLinesVisible(1, false);
        lineRenderer.setSeriesShapesVisible(1, true);
        lineRenderer.setSeriesPaint(1, MEAN);

        XYPlot plot = new XYPlot(lines, x, y, lineRenderer);
        plot.setDataset(1, barData);
        plot.setRenderer(1, barRenderer);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE); // bars (dataset 1) behind the lines
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);

        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 16), plot, true);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "ECE %.4f over %d examples (bar labels: examples per bin)",
                calibration.expectedCalibrationError(), calibration.examples()), new Font("SansSerif", Font.PLAIN, 12)));
        chart.setBackgroundPaint(Color.WHITE);
        Outputs.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
    }

    private static LegendItemCollection legend(boolean future) {
        LegendItemCollection items = new LegendItemCollection();
        items.add(line("observed", TRUTH));
        items.add(line("predictive mean", MEAN));
        if (future) {
            items.add(new LegendItem("future (past the last row)", null, null, null, false, new Rectangle(), false, MEAN,
                    false, MEAN, FUTURE, true, new Line2D.Double(-8, 0, 8, 0), FUTURE, MEAN));
        }
        items.add(new LegendItem("80% interval", null, null, null, new Rectangle(-6, -5, 12, 10), BAND_80));
        items.add(new LegendItem("95% interval", null, null, null, new Rectangle(-6, -5, 12, 10), BAND_95));
        return items;
    }

    private static LegendItem line(String label, Color color) {
        return new LegendItem(label, null, null, null, false, new Rectangle(), false, color, false, color,
                new BasicStroke(1f), true, new Line2D.Double(-8, 0, 8, 0), new BasicStroke(2f), color);
    }
}
