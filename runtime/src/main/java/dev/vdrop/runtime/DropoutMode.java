package dev.vdrop.runtime;

/** Which dropout masks a segment samples. */
public enum DropoutMode {
    /** Every mask of the model: training. */
    TRAIN,
    /**
     * Every mask but embedding dropout: MC-dropout prediction, as in Gal &amp; Ghahramani's
     * evaluation protocol (embedding dropout is a training regulariser of word types).
     */
    MC,
    /** No mask: the standard dropout approximation (inverted scaling needs no rescaling). */
    OFF
}
