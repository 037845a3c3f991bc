package dev.vdrop.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The networks this JVM has built, by the model file's SHA-256: each executor builds a model's
 * network once, however many tasks score with it (and in local mode the driver's check serves the
 * tasks too). The factory is no part of the key: whatever builds it, a restored network is of the
 * file's class, sizes, data type and parameters ({@code ModelFile.restoreInto} checks). The four
 * most recently used stay.
 */
final class ModelCache {
    private static final int CAPACITY = 4;
    private static final Map<String, LoadedModel> MODELS = new LinkedHashMap<>(8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LoadedModel> eldest) {
            return size() > CAPACITY;
        }
    };
    private static int builds;

    private ModelCache() {}

    /**
     * The loaded model of a file, built on first use in this JVM.
     *
     * @param hash the file's SHA-256, hex
     * @param factory builds its network
     * @param bytes the file's contents, asked for only when the model is not here yet
     * @return the loaded model
     */
    static synchronized LoadedModel get(String hash, NetworkFactory factory, Supplier<byte[]> bytes) {
        LoadedModel model = MODELS.get(hash);
        if (model == null) {
            model = LoadedModel.load(bytes.get(), factory);
            builds++;
            MODELS.put(hash, model);
        }
        return model;
    }

    /**
     * Puts a model the driver loaded from its file, so that local tasks find it.
     *
     * @param hash the file's SHA-256, hex
     * @param model the loaded model
     */
    static synchronized void put(String hash, LoadedModel model) {
        MODELS.put(hash, model);
        builds++;
    }

    /** {@return how many networks this JVM has built for scoring} */
    static synchronized int builds() {
        return builds;
    }
}
