/**
 * Time series for a forecaster with uncertainty, in the spirit of Zhu &amp; Laptev (2017, "Deep and
 * Confident Prediction for Time Series at Uber", arXiv 1709.01907): read a column from CSV text, deal
 * with its missing values, read the rows' dates and their calendar features, standardise with
 * statistics of the training span only, and cut the series into supervised windows.
 *
 * <p>Call order used by the samples, for a column without gaps:
 * <pre>{@code
 * Csv csv = Csv.parse(text, "us-births-1969-1988.csv");
 * double[] births = csv.column("births");
 * int testStart = Windows.testStart(births.length);              // the last 20% is the test span
 * Normalizer normalizer = Normalizer.fit(births, 0, testStart);   // fitted on the training span only
 * Split split = Windows.builder().window(28).period(7).build()      // 7: the day of the week
 *         .split(normalizer.normalize(births));
 * // train on split.train(); score split.test(), whose targets cover every test-span value once;
 * // map predictions back with normalizer.denormalize(..) and normalizer.denormalizeVariance(..).
 * }</pre>
 *
 * <p>A real series may have gaps and dates:
 * <pre>{@code
 * NumericColumn column = csv.numbers("births");     // NaN where missing; every gap and bad field listed
 * FilledSeries series = MissingValues.fill(column, MissingValues.Policy.INTERPOLATE);
 * double[] values = series.values();                // series.summary() says what was filled
 * Dates dates = Dates.read(csv, "year", "month", "date_of_month");   // or Dates.read(csv, "date")
 * CalendarFeatures calendar = CalendarFeatures.of(dates);           // matrix()[row], names()
 * }</pre>
 * A missing field is empty or {@code NA}, {@code N/A}, {@code NaN}, {@code null}, {@code .}; anything
 * else that is not a plain decimal number is bad and refused under every
 * {@link dev.vdrop.runtime.series.MissingValues.Policy}. Every message about a column names the
 * first five fields in trouble by line, then counts the rest.
 */
package dev.vdrop.runtime.series;
