/**
 * Time series for a forecaster with uncertainty, in the spirit of Zhu &amp; Laptev (2017, "Deep and
 * Confident Prediction for Time Series at Uber", arXiv 1709.01907): read a column from CSV text,
 * standardise it with statistics of the training span only, and cut it into supervised windows.
 *
 * <p>Call order used by the samples:
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
 */
package dev.vdrop.runtime.series;
