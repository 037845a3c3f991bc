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

    /** Copies of the given per-layer matrices ({@code units × batch}). */
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

    /** h of layer {@code layer} (from 0), {@code units × batch}. */
    public Mat hidden(int layer) {
        return hidden.get(layer);
    }

    /** c of layer {@code layer} (from 0), {@code units × batch}. */
    public Mat cell(int layer) {
        return cell.get(layer);
    }

    public int layers() {
        return hidden.size();
    }
}
