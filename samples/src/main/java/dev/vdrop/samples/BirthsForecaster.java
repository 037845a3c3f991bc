package dev.vdrop.samples;

import dev.vdrop.dsl.Input;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Regression;
import dev.vdrop.dsl.VariationalLSTM;

/**
 * A forecaster of daily US births: reads a window of past days (the normalised count and the
 * day of the week) and predicts the next day with a Gaussian whose variance MC dropout widens
 * (Zhu &amp; Laptev 2017). The processor generates {@code BirthsForecasterNetwork} from it.
 */
@Model
abstract class BirthsForecaster {
    /** Per day: normalised births and the day of week as sine and cosine. */
    @Input(features = 3)
    Layer day;

    @VariationalLSTM(units = 32, input = 0.1, recurrent = 0.1, output = 0.1)
    Layer lstm;

    /** Tomorrow's normalised births. */
    @Regression(outputs = 1)
    Layer next;
}
