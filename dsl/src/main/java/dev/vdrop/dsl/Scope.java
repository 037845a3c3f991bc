package dev.vdrop.dsl;

/** Which tokens share one {@link EmbeddingDropout} mask over the word types. */
public enum Scope {
    /**
     * One mask per sequence: every occurrence of a dropped word in that sequence is zero, other
     * sequences of the batch draw their own (Gal &amp; Ghahramani 2016, §4.1).
     */
    SEQUENCE,
    /**
     * One mask per mini-batch: a dropped word is zero in every sequence of the batch (Merity et
     * al. 2017, AWD-LSTM).
     */
    BATCH
}
