package dev.vdrop.samples;

import java.util.Arrays;
import java.util.Locale;

/**
 * The recurrent cell of a sample's model, chosen with {@code --cell} on {@code lm}, {@code compare},
 * {@code classify} and {@code forecast}. Each model has a twin per cell with the same dropout on the
 * same connections: {@code @VariationalLSTM} layers in one, {@code @VariationalGRU} layers of the
 * same units in the other.
 */
enum Cell {
    /** The long short-term memory cell: four gate blocks, the default and what every sample had before. */
    LSTM,
    /** The gated recurrent unit (PyTorch's formulation, the reset gate after the recurrent product): three gate blocks. */
    GRU;

    /** {@return the cell as written on the command line and in the reports: {@code lstm} or {@code gru}} */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@return the cell as prose names it: {@code LSTM} or {@code GRU}} */
    String display() {
        return name();
    }

    /**
     * The {@code --cell} choice by name.
     *
     * @param text as typed after {@code --cell}
     * @return the cell
     * @throws UserError for anything but {@code lstm} or {@code gru}, naming the allowed values
     */
    static Cell parse(String text) {
        for (Cell c : values()) {
            if (c.label().equals(text)) {
                return c;
            }
        }
        throw new UserError("unknown --cell '" + text + "'; use one of "
                + String.join(", ", Arrays.stream(values()).map(Cell::label).toList()));
    }
}
