package dev.vdrop.runtime.train;

import java.util.Locale;

/**
 * How the loop reports the training loss of an epoch: the workspace's loss times the batch's
 * sequences, summed over the epoch, divided by the units (tokens or examples) — a language
 * model's as a perplexity, a classifier's or regression's as the mean loss.
 */
enum Objective {
    /** exp(summed cross-entropy ÷ tokens), with the throughput in tokens. */
    PERPLEXITY("train_ppl", "tokens"),
    /** summed loss ÷ examples, with the throughput in examples. */
    MEAN_LOSS("train_loss", "examples"),
    /** summed loss ÷ steps (a tagger's tags), with the throughput in steps. */
    MEAN_STEP_LOSS("train_loss", "steps");

    private final String metricName;
    private final String unitName;

    Objective(String metricName, String unitName) {
        this.metricName = metricName;
        this.unitName = unitName;
    }

    /** {@return the metrics log's key of the training measure} */
    String metricName() {
        return metricName;
    }

    /** {@return the metrics log's key of the throughput} */
    String throughputName() {
        return "train_" + unitName + "_per_second";
    }

    /** {@return the epoch's training measure from the loss summed over sequences and the units} */
    double value(double lossSum, long units) {
        return this == PERPLEXITY ? Math.exp(lossSum / units) : lossSum / units;
    }

    /** {@return the progress bar's text so far} */
    String progress(double lossSum, long units, double seconds) {
        return this == PERPLEXITY
                ? String.format(Locale.ROOT, " loss %.3f ppl %.1f %,.0f tok/s", lossSum / units, Math.exp(lossSum / units),
                        units / seconds)
                : String.format(Locale.ROOT, " loss %.4f", lossSum / units);
    }
}
