package dev.vdrop.samples;

import dev.vdrop.dsl.Input;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Regression;
import dev.vdrop.dsl.VariationalGRU;

/**
 * {@link SeriesForecaster}'s GRU twin ({@code forecast --cell gru}): the same input (its width from
 * the data), dropout (none on the input, for the reason {@link SeriesForecaster} gives) and Gaussian
 * head of one output per step, with one GRU of 32 units in place of the LSTM.
 */
@Model
abstract class SeriesForecasterGru {
    /** Per step: the scaled value, the seasonal phase as sine and cosine, then the row's own features. */
    @Input
    Layer step;

    @VariationalGRU(units = 32, recurrent = 0.1, output = 0.1)
    Layer gru;

    /** The scaled values at lead times {@code lead … lead + steps − 1}, one output per step. */
    @Regression
    Layer next;
}
