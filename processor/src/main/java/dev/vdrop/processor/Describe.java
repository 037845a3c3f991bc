package dev.vdrop.processor;

import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Scope;
import dev.vdrop.processor.NetworkSpec.FeatureInput;
import dev.vdrop.processor.NetworkSpec.LayerSpec;
import dev.vdrop.processor.NetworkSpec.OutputSpec;
import dev.vdrop.processor.NetworkSpec.RegressionOutput;
import dev.vdrop.processor.NetworkSpec.SoftmaxOutput;
import dev.vdrop.processor.NetworkSpec.TokenInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Short human descriptions of layers and their dropout, for javadoc and summaries. */
final class Describe {
    private Describe() {}

    static String dropout(NetworkSpec.InputSpec input) {
        if (input instanceof TokenInput t && t.dropout() > 0) {
            return "embedding dropout " + p(t.dropout()) + " per " + (t.scope() == Scope.SEQUENCE ? "sequence" : "mini-batch");
        }
        return input instanceof FeatureInput ? "none (see the first LSTM's input)" : "none";
    }

    static String dropout(LayerSpec l) {
        List<String> parts = new ArrayList<>();
        if (l.input() > 0) {
            parts.add("x " + p(l.input()));
        }
        if (l.recurrent() > 0) {
            parts.add("h " + p(l.recurrent()));
        }
        if (l.output() > 0) {
            parts.add("y " + p(l.output()));
        }
        String masks = parts.isEmpty() ? "" : String.join(", ", parts) + " " + masks(l.masks());
        if (l.weightDrop() > 0) {
            masks = (masks.isEmpty() ? "" : masks + "; ") + "weight drop " + p(l.weightDrop()) + " on U";
        }
        return masks.isEmpty() ? "none" : masks;
    }

    static String masks(Masks masks) {
        return switch (masks) {
            case TIED -> "(tied, one mask per sequence)";
            case UNTIED -> "(untied, one mask per gate and sequence)";
            case PER_STEP -> "(per step, Zaremba)";
        };
    }

    static String output(OutputSpec output) {
        String over = output.over() == Over.EVERY_STEP ? "every step" : "last step only";
        if (output instanceof SoftmaxOutput s) {
            return "softmax over " + count(s.classes(), "classes") + " at " + over
                    + (s.tiedToEmbedding() ? ", decoder tied to the embedding" : "");
        }
        RegressionOutput r = (RegressionOutput) output;
        return "Gaussian over " + count(r.outputs(), r.outputs().equals(Dim.of(1)) ? "value" : "values") + " at " + over
                + ", learned noise variance";
    }

    /** {@code 100 classes}, or for a size from the data {@code classes (vocabulary, from the data)}, naming the field. */
    static String count(Dim size, String things) {
        if (size.declared()) {
            return size + " " + things;
        }
        return things + " (" + size + ", from the data)";
    }

    static String p(double p) {
        String s = String.format(Locale.ROOT, "%.4f", p);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
