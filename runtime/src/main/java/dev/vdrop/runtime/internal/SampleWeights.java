package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.Mat;
import java.util.ArrayList;
import java.util.List;

/**
 * One U' per MC sample, for a pass of several samples of a layer with weight drop. The pass's
 * rows are G blocks of equal size, block g all of one sample k_g ({@link MaskKeys#samples}: row
 * k·B + b), and at every step block g's columns are multiplied by U'_g = U ⊙ M_{k_g}, where M_k is
 * sample k's keyed mask, D(D(seed, id(name)), k) — the mask a pass of sample k alone multiplies
 * every row by. The rest of the pass (input products, cells, decoder, softmax) runs on all rows at
 * once; only this product goes block by block, each block the product a pass of that sample alone
 * makes (the same kernels on the same number of columns).
 *
 * <p>Call order: {@link #sample} when the masks are drawn (several samples: the blocks'
 * streams; one: nothing, the pass uses {@link RecurrentWeights} as always), {@link #clear} when
 * the masks are drawn otherwise (training); then, for each forward pass while {@link #several()},
 * {@link #load} (or {@link #loadGates} for products gate by gate) and a {@link #multiply} (or
 * {@link #multiplyGate}) per step. Forward only: there is no gradient of a pass of several samples.
 *
 * <p>With the vector kernels the cores take whole blocks at every step, each block's panels
 * laid out and multiplied on one core (one hand-over per step for all G products); through BLAS
 * the blocks go one after another, each product split over the cores as BLAS splits it.
 *
 * <p>Memory: each block's U' is laid out once per load, 4H·H values per block (the vector
 * kernels' panels on the Java heap, or U' whole in a native buffer for BLAS) — G of them; the
 * masks themselves are never stored, each read from its stream while its U' is laid out. A block
 * of a sample that another block also has gets a U' of its own all the same. Not thread-safe.
 *
 * <p>For generated code; not API (see the package).
 */
public final class SampleWeights implements StepWeights, AutoCloseable {
    private static final WeightMaskStream[] ONE_SAMPLE = new WeightMaskStream[0];

    /** Block g's mask, or none while the pass has one sample. */
    private WeightMaskStream[] masks = ONE_SAMPLE;
    private final List<StepProduct> products = new ArrayList<>();
    private final List<MaskedWeights> gateWeights = new ArrayList<>();
    private boolean loaded;
    private boolean gatesLoaded;

    /** No samples yet: {@link #several()} is false. */
    public SampleWeights() {}

    /**
     * Takes the blocks of {@code keys}: with rows of several samples, block g's mask is sample
     * k_g's stream (nothing is drawn yet); with one sample, none (the pass uses one U').
     *
     * @param p the weight-drop probability, in [0, 1)
     * @param keys the pass's rows
     * @param name the mask's name as the workspace's {@code masks()} lists it ({@code lstm1.U})
     * @throws IllegalArgumentException when the rows are not blocks of equal size each of one
     *     sample ({@link Dropouts#checkSampleBlocks}) or p is outside [0, 1)
     */
    public void sample(double p, MaskKeys keys, String name) {
        int[] samples = Dropouts.sampleBlocks(keys);
        if (samples.length == 1) {
            clear();
            return;
        }
        WeightMaskStream[] streams = new WeightMaskStream[samples.length];
        for (int g = 0; g < samples.length; g++) {
            streams[g] = Dropouts.weightMaskStream(p, keys.seed(), name, samples[g]);
        }
        masks = streams;
        loaded = false;
        gatesLoaded = false;
    }

    /** Forgets the samples and frees their U': the masks were drawn for one U' per pass. */
    public void clear() {
        close();
        masks = ONE_SAMPLE;
    }

    /** {@return whether the pass has several samples, each block of rows with its own U'} */
    public boolean several() {
        return masks.length > 1;
    }

    /**
     * Refuses a pass whose columns are not the blocks: with several samples, sequences of
     * different lengths (a ragged pass reorders the rows by length).
     *
     * @param next the layout of the coming pass
     * @throws IllegalArgumentException with several samples and a ragged layout
     */
    public void checkPass(Packing next) {
        if (several() && next.ragged()) {
            throw new IllegalArgumentException("a pass of " + masks.length + " weight-drop samples multiplies each sample's"
                    + " block of rows by its own U', which needs sequences of equal length; for sequences of different"
                    + " lengths, sample one at a time (MaskKeys.samples with one sample per pass)");
        }
    }

    /**
     * Refuses a backward pass after a pass of several samples, which has no gradient.
     *
     * @throws IllegalStateException with several samples
     */
    public void checkBackward() {
        if (several()) {
            throw new IllegalStateException("backward() after a pass of " + masks.length + " weight-drop samples, each with"
                    + " its own U': such a pass is for prediction only; train with sampleMasks(rng, TRAIN)");
        }
    }

    /**
     * Uses U'_g = {@code u} ⊙ M_g for block g's products that follow, each laid out at its first
     * product; {@code u} must not change meanwhile.
     *
     * @param u the recurrent weights U (4H × H)
     * @throws IllegalStateException without several samples
     */
    public void load(Mat u) {
        checkSeveral();
        while (products.size() > masks.length) {
            products.remove(products.size() - 1).close();
        }
        while (products.size() < masks.length) {
            products.add(Kernels.CURRENT.ownStepProduct());
        }
        for (int g = 0; g < masks.length; g++) {
            products.get(g).loadSample(u, masks[g]);
        }
        loaded = true;
    }

    /**
     * Block g's columns of {@code c} = U'_g · block g's columns of {@code x} + beta · c.
     *
     * @param x H × G·n, n columns per block
     * @param beta the factor of c's old values (0: c is overwritten)
     * @param c 4H × G·n, written
     * @throws IllegalStateException before {@link #load}, or when the columns are not G equal blocks
     */
    @Override
    public void multiply(Mat x, double beta, Mat c) {
        if (!loaded) {
            throw new IllegalStateException("multiply before load");
        }
        int n = blockWidth(x, c);
        int blocks = masks.length;
        if (products.get(0) instanceof PanelProduct first && first.usesPanels(x.columns(0, n), c.columns(0, n))) {
            // the cores take whole blocks, each block's product (and its first layout) on one core
            int parts = Math.min(Parallel.THREADS, blocks);
            Parallel.forEachPart(parts, part -> {
                for (int g = part; g < blocks; g += parts) {
                    ((PanelProduct) products.get(g)).multiplyOnThisThread(x.columns(g * n, n), beta, c.columns(g * n, n));
                }
            });
            return;
        }
        for (int g = 0; g < blocks; g++) {
            products.get(g).multiply(x.columns(g * n, n), beta, c.columns(g * n, n));
        }
    }

    /**
     * Uses U'_g = {@code u} ⊙ M_g whole, for products gate by gate ({@link #multiplyGate}); each
     * made at its first product.
     *
     * @param u the recurrent weights U (4H × H)
     * @throws IllegalStateException without several samples
     */
    public void loadGates(Mat u) {
        checkSeveral();
        while (gateWeights.size() > masks.length) {
            gateWeights.remove(gateWeights.size() - 1).close();
        }
        while (gateWeights.size() < masks.length) {
            gateWeights.add(new MaskedWeights());
        }
        for (int g = 0; g < masks.length; g++) {
            gateWeights.get(g).set(u, masks[g]);
        }
        gatesLoaded = true;
    }

    /**
     * Block g's columns of {@code c} = (gate {@code gate}'s rows of U'_g) · block g's columns of
     * {@code x} + beta · c, through BLAS.
     *
     * @param gate 0 to 3: i, f, g, o
     * @param x H × G·n
     * @param beta the factor of c's old values
     * @param c H × G·n, written
     * @throws IllegalStateException before {@link #loadGates}, or when the columns are not G equal blocks
     */
    public void multiplyGate(int gate, Mat x, double beta, Mat c) {
        if (!gatesLoaded) {
            throw new IllegalStateException("multiplyGate before loadGates");
        }
        int n = blockWidth(x, c);
        for (int g = 0; g < masks.length; g++) {
            Mat u = gateWeights.get(g).whole();
            int units = u.rows() / 4;
            Blas.gemm(false, false, 1, u.rows(gate * units, units), x.columns(g * n, n), beta, c.columns(g * n, n));
        }
    }

    /** Frees every block's U' and panels; the object stays usable. */
    @Override
    public void close() {
        products.forEach(StepProduct::close);
        products.clear();
        gateWeights.forEach(MaskedWeights::close);
        gateWeights.clear();
        loaded = false;
        gatesLoaded = false;
    }

    private void checkSeveral() {
        if (!several()) {
            throw new IllegalStateException("no pass of several samples: sample(p, keys, name) with the rows of several");
        }
    }

    /** n: the columns of each of the G blocks. */
    private int blockWidth(Mat x, Mat c) {
        int blocks = masks.length;
        if (x.cols() % blocks != 0 || c.cols() != x.cols()) {
            throw new IllegalStateException("a pass of " + blocks + " samples multiplies " + blocks
                    + " equal blocks of columns; got x " + x.shape() + ", c " + c.shape());
        }
        return x.cols() / blocks;
    }
}
