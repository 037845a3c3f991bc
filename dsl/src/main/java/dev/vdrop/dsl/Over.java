package dev.vdrop.dsl;

/** Which steps of a sequence an output layer predicts. */
public enum Over {
    /** A prediction at every step t = 1 … T: language models, sequence tagging. */
    EVERY_STEP,
    /** One prediction from the last step only: sequence classification, forecasting. */
    LAST_STEP
}
