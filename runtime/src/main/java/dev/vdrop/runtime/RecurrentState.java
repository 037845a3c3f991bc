package dev.vdrop.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The hidden state h of every recurrent layer for a batch, and the cell state c of every LSTM
 * layer: what one segment hands to the next in truncated back-propagation through time. A GRU
 * layer has h only. Holds copies, so it stays valid while the segment computes on.
 */
public final class RecurrentState {
    private final List<Mat> hidden;
    private final List<Mat> cell;

    /**
     * A state holding copies of the given per-layer matrices.
     *
     * @param hidden h of each layer, bottom first, {@code units × batch}
     * @param cell c of each layer, bottom first, {@code units × batch}; null for a layer without a
     *     cell state (a GRU)
     * @throws IllegalArgumentException if the lists differ in length
     */
    public RecurrentState(List<Mat> hidden, List<Mat> cell) {
        if (hidden.size() != cell.size()) {
            throw new IllegalArgumentException("h of " + hidden.size() + " layers but c of " + cell.size()
                    + " (give null for a layer without a cell state)");
        }
        this.hidden = copies(hidden);
        this.cell = copies(cell);
    }

    private static List<Mat> copies(List<Mat> source) {
        List<Mat> out = new ArrayList<>();
        for (Mat m : source) {
            if (m == null) {
                out.add(null);
                continue;
            }
            Mat copy = Mat.zeros(m.dataType(), m.rows(), m.cols());
            copy.copyFrom(m);
            out.add(copy);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The hidden state of one layer.
     *
     * @param layer the layer, from 0 at the bottom
     * @return its h, {@code units × batch}
     */
    public Mat hidden(int layer) {
        return hidden.get(layer);
    }

    /**
     * Whether a layer has a cell state: an LSTM's c (a GRU has none).
     *
     * @param layer the layer, from 0 at the bottom
     * @return true for an LSTM layer
     */
    public boolean hasCell(int layer) {
        return cell.get(layer) != null;
    }

    /**
     * The cell state of one LSTM layer.
     *
     * @param layer the layer, from 0 at the bottom
     * @return its c, {@code units × batch}
     * @throws IllegalStateException if the layer has no cell state (a GRU; see {@link #hasCell})
     */
    public Mat cell(int layer) {
        Mat c = cell.get(layer);
        if (c == null) {
            throw new IllegalStateException("layer " + layer + " has no cell state (a GRU has h only)");
        }
        return c;
    }

    /** {@return the number of recurrent layers} */
    public int layers() {
        return hidden.size();
    }
}
