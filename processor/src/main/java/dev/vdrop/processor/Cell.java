package dev.vdrop.processor;

/**
 * The recurrent cells a layer may have, with what the generated code needs to know of each: how
 * many gate blocks of H rows its W and U have, and what they are called.
 */
enum Cell {
    /** {@code @VariationalLSTM}: gates i, f, g, o; state h and c. */
    LSTM("LSTM", Kind.VARIATIONAL_LSTM, 4, "i, f, g, o"),
    /** {@code @VariationalGRU}, torch.nn.GRU's formulation: gates r, u, n; state h; biases b_x and b_h. */
    GRU("GRU", Kind.VARIATIONAL_GRU, 3, "r, u, n");

    private final String display;
    private final Kind kind;
    private final int gates;
    private final String gateNames;

    Cell(String display, Kind kind, int gates, String gateNames) {
        this.display = display;
        this.kind = kind;
        this.gates = gates;
        this.gateNames = gateNames;
    }

    /** {@return "LSTM" or "GRU", as comments and messages name the cell} */
    String display() {
        return display;
    }

    /** {@return the annotation that declares a layer of this cell} */
    Kind kind() {
        return kind;
    }

    /** {@return the gate blocks of H rows in W, U and the gates z: 4 for an LSTM, 3 for a GRU} */
    int gates() {
        return gates;
    }

    /** {@return the gate blocks in order, as the comments write them: "i, f, g, o"} */
    String gateNames() {
        return gateNames;
    }

    static Cell of(Kind kind) {
        for (Cell cell : values()) {
            if (cell.kind == kind) {
                return cell;
            }
        }
        throw new IllegalArgumentException(kind + " is not a recurrent layer");
    }
}
