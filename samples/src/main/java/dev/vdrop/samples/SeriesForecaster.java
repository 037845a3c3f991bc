package dev.vdrop.samples;

import dev.vdrop.dsl.Input;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Regression;
import dev.vdrop.dsl.VariationalLSTM;

/**
 * The model of {@code vdrop forecast}: an LSTM forecaster without input dropout. It reads a
 * window of steps (the scaled value, the seasonal phase as sine and cosine, and any features of
 * the row) and predicts the next {@code --steps} values at once, each as a Gaussian (a direct
 * multi-output head); MC dropout on the recurrent state and the output widens them by the model's
 * uncertainty (Gal &amp; Ghahramani 2016; Zhu &amp; Laptev 2017). Its input width and its outputs
 * come from the data: the generated builder asks for {@code .features(n)} and {@code .outputs(h)}
 * ({@link ForecastCommand#forecaster}).
 *
 * <p>Why no input dropout: a variational input mask is drawn once per window and held for all its
 * steps, so with three input features a rate of 0.1 removes the whole value history from a tenth
 * of the MC passes. Those blind passes make the predictive mixture far wider than the errors are:
 * on the validation part of the births' training span, the same model with input dropout 0.1 had 80% intervals
 * covered 94% and its 95% intervals 97%, against 87–88% and 94–96% for this model, whose mean
 * was also more accurate.
 */
@Model
abstract class SeriesForecaster {
    /** Per step: the scaled value, the seasonal phase as sine and cosine, then the row's own features. */
    @Input
    Layer step;

    @VariationalLSTM(units = 32, recurrent = 0.1, output = 0.1)
    Layer lstm;

    /** The scaled values at lead times {@code lead … lead + steps − 1}, one output per step. */
    @Regression
    Layer next;
}
