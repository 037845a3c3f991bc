/**
 * Forecasting a real series with an MC-dropout forecaster: scale its windows, cut them several
 * steps ahead with extra inputs and gaps, place backtest origins, map the MC predictions back to
 * the series' units and score them step by step against seasonal naive and persistence. Pure
 * functions of arrays: any generated {@code Network<double[][][], double[][]>} with a
 * {@code @Regression} head of one output per step trains on the windows
 * ({@link dev.vdrop.runtime.train.RegressionTrainer}) and forecasts them
 * ({@link dev.vdrop.runtime.eval.McPredictor#forecast}).
 *
 * <ul>
 *   <li>{@link dev.vdrop.runtime.forecast.Scale} and {@link dev.vdrop.runtime.forecast.FittedScale}:
 *       global, window, difference or mean scaling, fitted on the training span, with the equations
 *       of each; {@link dev.vdrop.runtime.forecast.AffineMap} {@code x = a + b·z} maps a window's
 *       prediction back, {@link dev.vdrop.runtime.forecast.SeriesPrediction} is the result (mean,
 *       epistemic and noise variance, intervals).</li>
 *   <li>{@link dev.vdrop.runtime.forecast.LeadTimeWindows}: windows of W steps predicting H values
 *       at lead times L … L + H − 1, with the season's phase and per-row features, dropping the
 *       windows that touch a missing value; {@link dev.vdrop.runtime.forecast.WindowOrigins} and
 *       {@link dev.vdrop.runtime.forecast.ScaledWindows} are what it gives.</li>
 *   <li>{@link dev.vdrop.runtime.forecast.Backtest}: N rolling origins spread evenly over the test
 *       span.</li>
 *   <li>{@link dev.vdrop.runtime.forecast.ForecastScores} and
 *       {@link dev.vdrop.runtime.forecast.StepScores}: per step RMSE, MAE, sMAPE, MASE against
 *       seasonal naive, the RMSE of seasonal naive and of persistence, interval coverage and
 *       widths.</li>
 *   <li>{@link dev.vdrop.runtime.forecast.ObservedValues}: a series' observed values, to fit a
 *       normaliser of a column with gaps on its training span.</li>
 * </ul>
 *
 * <p>Call order (example {@code forecast}; {@code text} is a CSV file's text with a column
 * {@code sales} of monthly values with gaps, {@code SalesForecasterNetwork} the network generated
 * from a user's {@code @Model} with an {@code @Input} and a {@code @Regression} layer, both sized
 * from the data):
 * <pre>{@code
 * Csv csv = Csv.parse(text, "sales.csv");
 * FilledSeries column = MissingValues.fill(csv.numbers("sales"), MissingValues.Policy.SKIP);
 * double[] x = column.values();                                         // NaN where a value is missing
 * int testStart = Windows.testStart(x.length);                          // the last 20% is the test span
 * LeadTimeWindows windows = LeadTimeWindows.builder()
 *         .window(12).steps(3).period(12)                               // 12 months in, 3 months ahead
 *         .scale(Scale.WINDOW).build();                                 // relative to each window's last value
 * WindowOrigins train = windows.trainOrigins(x, null, testStart);       // windows touching a gap are dropped
 * FittedScale scaling = FittedScale.fit(windows, x, testStart, train);  // fitted on the training span only
 * ScaledWindows examples = windows.examples(x, null, train, scaling);
 * SalesForecasterNetwork net = SalesForecasterNetwork.builder()
 *         .features(windows.features(0)).outputs(windows.steps())       // 3 features a step, 3 outputs
 *         .config(NetworkConfig.builder().seed(1).initScale(0.1).build()).build();
 * new RegressionTrainer(RegressionConfig.builder().epochs(20).batch(8).learningRate(1e-2).seed(2).build())
 *         .train(net, examples.inputs(), examples.targets());
 *
 * int[] origins = Backtest.rows(testStart, x.length, windows.steps(), 40);    // 40 rolling origins
 * ScaledWindows test = windows.examples(x, null, windows.at(x, null, origins), scaling);
 * RegressionPrediction[][] z = McPredictor.forecast(net, test.inputs(), 100, 3L);    // K = 100, seed 3
 * SeriesPrediction[][] forecasts = test.map(z);                         // [origin][step], in the series' units
 * ForecastScores scores = ForecastScores.of(x, testStart, test, z, 12); // season 12
 * double[] rmse = scores.byStep(StepScores::rmse);                      // one per step
 * double[] mase = scores.byStep(StepScores::mase);                      // below 1 beats seasonal naive
 * Coverage covered = scores.step(1).coverage(0.95);
 * }</pre>
 *
 * <p>(compiled and run by {@code dev.vdrop.checks.ForecastApiTest}, which checks that this is its
 * code). Every test-span row starts one forecast with {@code windows.testOrigins(x, rows, testStart)}
 * in place of {@link dev.vdrop.runtime.forecast.LeadTimeWindows#at}; per-row features (a calendar,
 * further columns) go where {@code null} is, {@code x.length} rows of one width each. Refitting
 * before each backtest origin repeats the fit with the origin's row as {@code testStart}; the window
 * whose origin is the last row ({@code windows.at(x, rows, new int[] {x.length - 1 + windows.lead()})})
 * forecasts the steps past the data.
 */
package dev.vdrop.runtime.forecast;
