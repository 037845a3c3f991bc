package dev.vdrop.spark;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.samples.TextClassifierGruNetwork;
import dev.vdrop.samples.TextClassifierNetwork;

/**
 * The network factory of the samples' text classifier, whose model files {@code vdrop classify}
 * writes: {@code TextClassifierNetwork} and its GRU twin, by the class the file names.
 */
public final class SampleModels {
    private SampleModels() {}

    /**
     * {@return a factory of the samples' classifiers ({@code vdrop classify --cell lstm} or {@code gru});
     * any other class is refused with an {@link IllegalArgumentException} naming it}
     */
    public static NetworkFactory classifiers() {
        return SampleModels::classifier;
    }

    private static Network<int[][], ?> classifier(ModelFile file) {
        int vocabulary = file.sizes().vocabulary().orElseThrow(() -> notOurs(file));
        int classes = file.sizes().classes().orElseThrow(() -> notOurs(file));
        NetworkConfig config = NetworkConfig.builder().dataType(file.dataType()).build();
        if (file.modelClass().equals(TextClassifierNetwork.class.getName())) {
            return TextClassifierNetwork.builder().vocabulary(vocabulary).classes(classes).config(config).build();
        }
        if (file.modelClass().equals(TextClassifierGruNetwork.class.getName())) {
            return TextClassifierGruNetwork.builder().vocabulary(vocabulary).classes(classes).config(config).build();
        }
        throw notOurs(file);
    }

    private static IllegalArgumentException notOurs(ModelFile file) {
        return new IllegalArgumentException(file.file() + " holds a " + file.modelClass()
                + ", which is not one of the samples' classifiers (" + TextClassifierNetwork.class.getName() + ", "
                + TextClassifierGruNetwork.class.getName() + "); score it through McScorer with a NetworkFactory of your own");
    }
}
