package dev.vdrop.samples;

import dev.vdrop.dsl.Input;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Regression;
import dev.vdrop.dsl.VariationalGRU;

/**
 * {@link SeriesForecaster}'s GRU twin ({@code forecast --cell gru}): the same input, dropout (none
 * on the input, for the reason {@link SeriesForecaster} gives) and Gaussian head, with one GRU of 32
 * units in place of the LSTM.
 */
@Model
abstract class SeriesForecasterGru {
    /** Per step: the standardised value and the seasonal phase as sine and cosine. */
    @Input(features = 3)
    Layer step;

    @VariationalGRU(units = 32, recurrent = 0.1, output = 0.1)
    Layer gru;

    /** The standardised value at the lead time. */
    @Regression(outputs = 1)
    Layer next;
}
