package dev.vdrop.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * The hidden and cell state (h, c) of every LSTM layer for a batch: what one segment hands to the
 * next in truncated back-propagation through time. Holds copies, so it stays valid while the
 * segment computes on.
 */
public final class RecurrentState {
    private final List<Mat> hidden;
    private final List<Mat> cell;

    /**
     * A state holding copies of the given per-layer matrices.
     *
     * @param hidden h of each layer, bottom first, {@code units × batch}
     * @param cell c of each layer, bottom first, {@code units × batch}
     */
    public RecurrentState(List<Mat> hidden, List<Mat> cell) {
        this.hidden = copies(hidden);
        this.cell = copies(cell);
    }

    private static List<Mat> copies(List<Mat> source) {
        List<Mat> out = new ArrayList<>();
        for (Mat m : source) {
            Mat copy = Mat.zeros(m.dataType(), m.rows(), m.cols());
            copy.copyFrom(m);
            out.add(copy);
        }
        return List.copyOf(out);
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
     * The cell state of one layer.
     *
     * @param layer the layer, from 0 at the bottom
     * @return its c, {@code units × batch}
     */
    public Mat cell(int layer) {
        return cell.get(layer);
    }

    /** {@return the number of LSTM layers} */
    public int layers() {
        return hidden.size();
    }
}
