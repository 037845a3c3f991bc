package dev.vdrop.samples;

import dev.vdrop.runtime.forecast.Scale;
import dev.vdrop.runtime.series.Csv;
import dev.vdrop.runtime.series.MissingValues;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The flags of {@code vdrop forecast} that say what to forecast and how, as typed, and their checks:
 * {@link #settings()} for the engine's, {@link #request()} for what to read from the CSV file. The
 * numeric flags are read as text and checked here ({@link ForecastFlags}), so that a bad value gets
 * the same one-line message as every other mistake rather than picocli's usage screen. A mixin of
 * {@link ForecastCommand}, which keeps the flags of the run itself ({@code --overwrite},
 * {@code --restore-best}).
 */
final class ForecastOptions {
    @Option(names = "--csv", paramLabel = "PATH", description = "CSV file with a header row (default: the bundled US births).")
    Path csv;

    @Option(names = "--column", paramLabel = "NAME",
            description = "Numeric column to forecast (default: births; required with --csv unless it has a births column).")
    String column;

    @Option(names = "--date-column", paramLabel = "NAME",
            description = "Column of the rows' dates, yyyy-mm-dd or yyyymmdd: calendar features (day of the week when the "
                    + "rows are less than 7 days apart, day of the year) replace the season's phase as inputs, and the "
                    + "outputs carry the dates.")
    String dateColumn;

    @Option(names = "--date-columns", paramLabel = "Y,M,D",
            description = "The rows' dates from three columns, year, month and day (e.g. year,month,date_of_month for the "
                    + "bundled births), as --date-column.")
    String dateColumns;

    @Option(names = "--inputs", paramLabel = "COL1,COL2",
            description = "Further numeric columns the model reads at every step of its window, standardised with their "
                    + "training span's mean and std; a window reads them up to its last row only, so they need not be "
                    + "known ahead. Their missing values follow --missing.")
    String inputs;

    @Option(names = "--missing", paramLabel = "error|interpolate|skip",
            description = "What to do with a missing value (an empty field, NA, N/A, NaN, null or .): error refuses it; "
                    + "interpolate fills it on the line between its observed neighbours (the nearest observed value "
                    + "at either end); skip drops every window that reads it, never the row (default: ${DEFAULT-VALUE}).")
    String missing = "error";

    @Option(names = "--window", paramLabel = "W", description = "Input steps per window (default: ${DEFAULT-VALUE}).")
    String window = "14";

    @Option(names = "--horizon", paramLabel = "H",
            description = "Lead time: predict the value H steps after the window's end; 1 is the next step (default: ${DEFAULT-VALUE}).")
    String horizon = "1";

    @Option(names = "--steps", paramLabel = "H",
            description = "Forecast the values at lead times horizon … horizon + H − 1 at once, each with its own "
                    + "predictive distribution (default: ${DEFAULT-VALUE}).")
    String steps = "1";

    @Option(names = "--scale", paramLabel = "global|window|difference|mean",
            description = "How a window is scaled: global standardises the series with the training span's mean and std; "
                    + "window subtracts each window's last value; difference reads one-step differences; mean divides "
                    + "by the window's mean level, so intervals grow with the level. window, difference and mean "
                    + "follow a series beyond its training range (default: ${DEFAULT-VALUE}).")
    String scale = "global";

    @Option(names = "--backtest", paramLabel = "N",
            description = "Score forecasts from N origins spread evenly over the test span (the first at its start, the "
                    + "last where every step still lies in the data) instead of from every test-span row; one model "
                    + "trained on the rows before the first origin serves them all.")
    String backtest;

    @Option(names = "--refit", description = "With --backtest: train a model on all the rows before each origin, with the "
            + "same settings; N trainings, so N times the training time.")
    boolean refit;

    @Option(names = "--future", description = "After the evaluation, forecast the steps after the last row with the evaluated "
            + "model (under --refit the last one) from the last window: future.csv, and drawn in forecast.png.")
    boolean future;

    @Option(names = "--cell", paramLabel = "lstm|gru",
            description = "The recurrent layer's cell: lstm or gru, with the same dropout (default: ${DEFAULT-VALUE}).")
    String cell = "lstm";

    @Option(names = "--epochs", paramLabel = "N",
            description = "Most training epochs; the epoch with the best validation loss is kept (default: ${DEFAULT-VALUE}).")
    String epochs = "50";

    @Option(names = "--mc-samples", paramLabel = "K", description = "MC-dropout passes per prediction (default: ${DEFAULT-VALUE}).")
    String mcSamples = "100";

    @Option(names = "--season", paramLabel = "S",
            description = "Season length in steps, for the phase features (without dates), the seasonal-naive baseline and "
                    + "MASE (default: ${DEFAULT-VALUE}, a week of days).")
    String season = "7";

    @Option(names = "--seed", paramLabel = "SEED",
            description = "Seed of the initial weights, the example order and the dropout masks (default: ${DEFAULT-VALUE}).")
    String seed = "1";

    @Option(names = "--out", paramLabel = "DIR", description = "Directory for the outputs (created if missing).")
    Path out;

    /** {@return the series the flags ask for: the CSV file's, or the bundled births'} */
    ForecastCommand.Series series(ForecastData.Request request) {
        String text = csv == null ? Resources.bundled(Resources.US_BIRTHS) : Resources.file(csv);
        String source = csv == null ? Resources.US_BIRTHS : String.valueOf(csv.getFileName());
        try {
            Csv table = Csv.parse(text, source);
            if (column == null && csv != null && !table.header().contains(request.column())) {
                throw new UserError("say which column of " + source + " to forecast with --column NAME; its columns are "
                        + String.join(", ", table.header()));
            }
            return ForecastData.read(table, request);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** {@return the checked flags} */
    ForecastCommand.Settings settings() {
        if (out == null) {
            throw new UserError("--out DIR is required: the directory to write forecast.json and forecast.png into");
        }
        Cell c = Cell.parse(cell);
        if (column != null && column.isBlank()) {
            throw new UserError("--column needs a column name");
        }
        int w = ForecastFlags.positive("--window", window);
        int h = ForecastFlags.positive("--horizon", horizon);
        Scale sc = ForecastFlags.scale(scale);
        int st = ForecastFlags.positive("--steps", steps);
        if (st > ForecastCommand.MAX_STEPS) {
            throw new UserError("--steps must be at most " + ForecastCommand.MAX_STEPS + ", got " + st
                    + "; each step is one output of the network");
        }
        int n = ForecastFlags.positive("--epochs", epochs);
        int k = ForecastFlags.positive("--mc-samples", mcSamples);
        if (k > ForecastCommand.MAX_MC_SAMPLES) {
            throw new UserError("--mc-samples must be at most " + ForecastCommand.MAX_MC_SAMPLES + ", got " + k
                    + "; a few hundred already pin the intervals down");
        }
        int p = ForecastFlags.positive("--season", season);
        if (p < 2) {
            throw new UserError("--season must be at least 2 (the number of steps in one season, e.g. 7 for days of the week), got 1");
        }
        long sd = ForecastFlags.seed(seed);
        request(); // the data flags' mistakes too, before the file is read
        int b = backtest == null ? 0 : ForecastFlags.positive("--backtest", backtest);
        if (refit && b == 0) {
            throw new UserError("--refit retrains the model before each --backtest origin; give --backtest N too");
        }
        return new ForecastCommand.Settings(c, sc, w, h, st, n, k, p, sd, out, b, refit, future);
    }

    /** {@return what to read from the CSV file, as the flags say} */
    ForecastData.Request request() {
        MissingValues.Policy policy = ForecastFlags.policy(missing);
        if (dateColumn != null && dateColumns != null) {
            throw new UserError("--date-column and --date-columns both say where the dates are; give one of them");
        }
        List<String> dates = List.of();
        if (dateColumn != null) {
            if (dateColumn.isBlank()) {
                throw new UserError("--date-column needs a column name");
            }
            dates = List.of(dateColumn.trim());
        } else if (dateColumns != null) {
            dates = ForecastFlags.columns("--date-columns", dateColumns, "year,month,day");
            if (dates.size() != 3) {
                throw new UserError("--date-columns needs three column names, the year's, the month's and the day's, e.g. "
                        + "--date-columns year,month,date_of_month; got '" + dateColumns + "'");
            }
        }
        String name = column != null ? column : "births";
        List<String> more = inputs == null ? List.of() : ForecastFlags.columns("--inputs", inputs, "realcons,realinv");
        for (String input : more) {
            if (input.equals(name)) {
                throw new UserError("--inputs names " + input + ", the column forecast: its past values are the model's "
                        + "inputs already");
            }
            if (dates.contains(input)) {
                throw new UserError("--inputs names " + input + ", a date column: the calendar features are inputs already");
            }
        }
        return new ForecastData.Request(name, policy, dates, more);
    }
}
