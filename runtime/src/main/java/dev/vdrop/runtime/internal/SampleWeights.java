package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.Mat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

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
 * {@link #load} (or {@link #loadGates} for products gate by gate) and a {@link #multiply(Mat,
 * double, Mat)} (or {@link #multiplyGate}) per step — or, block by block, {@link #forEachBlock} with
 * {@link #multiply(int, Mat, double, Mat)} at each step of the block. Forward only: there is no
 * gradient of a pass of several samples.
 *
 * <p>Generated layers go block by block ({@link #forEachBlock}): each core takes whole blocks,
 * lays out a block's U' and carries the block through the steps of a chunk, U' staying in its
 * cache. Step by step ({@link #multiply(Mat, double, Mat)}), the cores take whole blocks at every
 * step with the vector kernels (one hand-over per step for all G products), and through BLAS the
 * blocks go one after another, each product split over the cores as BLAS splits it; every step
 * then reads all G U'.
 *
 * <p>Memory: each block's U' is laid out once per load (and kept for the next loads from the same
 * U and masks: the batches of an MC prediction with one seed), 4H·H values per block (the vector
 * kernels' panels on the Java heap, or U' whole in a native buffer for BLAS) — G of them; the
 * masks themselves are never stored, each read from its stream while its U' is laid out. A block
 * of a sample that another block also has gets a U' of its own all the same. Not thread-safe.
 *
 * <p>For generated code; not API (see the package).
 */
public final class SampleWeights implements AutoCloseable {
    private static final WeightMaskStream[] ONE_SAMPLE = new WeightMaskStream[0];

    /** Block g's mask, or none while the pass has one sample. */
    private WeightMaskStream[] masks = ONE_SAMPLE;
    private final List<StepProduct> products = new ArrayList<>();
    private final List<MaskedWeights> gateWeights = new ArrayList<>();
    private boolean loaded;
    private boolean gatesLoaded;
    /** What {@link #products} hold, or null: a load from the same U and masks keeps them. */
    private LaidOutFrom laidOutFrom;
    /** Loads that laid the products out afresh, for the tests. */
    private int laidOuts;

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
     * product; {@code u} must not change meanwhile. When the last load was from this {@code u}, with
     * the same values, and the masks are the same, the U'_g laid out then are kept ({@link LaidOutFrom}).
     *
     * @param u the recurrent weights U (4H × H)
     * @throws IllegalStateException without several samples
     */
    public void load(Mat u) {
        checkSeveral();
        if (laidOutFrom != null && products.size() == masks.length && laidOutFrom.matches(u, masks)) {
            loaded = true;
            return;
        }
        laidOutFrom = null;
        while (products.size() > masks.length) {
            products.remove(products.size() - 1).close();
        }
        while (products.size() < masks.length) {
            products.add(Kernels.CURRENT.ownStepProduct());
        }
        for (int g = 0; g < masks.length; g++) {
            products.get(g).loadSample(u, masks[g]);
        }
        laidOutFrom = LaidOutFrom.of(u, masks);
        laidOuts++;
        loaded = true;
    }

    /**
     * Block g's columns of {@code c} = U'_g · block g's columns of {@code x} + beta · c, for every
     * block of one step: {@link #forEachBlock} with {@link #multiply(int, Mat, double, Mat)}.
     *
     * @param x H × G·n, n columns per block
     * @param beta the factor of c's old values (0: c is overwritten)
     * @param c 4H × G·n, written
     * @throws IllegalStateException before {@link #load}, or when the columns are not G equal blocks
     */
    public void multiply(Mat x, double beta, Mat c) {
        if (!loaded) {
            throw new IllegalStateException("multiply before load");
        }
        blockWidth(x, c);
        forEachBlock(x.cols(), (g, from, n) -> multiply(g, x.columns(from, n), beta, c.columns(from, n)));
    }

    /** The work of one block of a pass's columns: sample block {@code block}, columns [from, from + count) of each step. */
    @FunctionalInterface
    public interface BlockWork {
        /**
         * @param block g, the block's index in the pass
         * @param from the block's first column in each step's columns
         * @param count the block's columns, n
         */
        void run(int block, int from, int count);
    }

    /**
     * Runs {@code work} once for each of the G blocks of a step's {@code columns} columns, the
     * blocks shared out over the cores and each run on one thread from start to end: so a block
     * can go through every step of a segment (or of a chunk of it) with its own U'_g in that core's
     * cache from step to step, multiplying by it with {@link #multiply(int, Mat, double, Mat)}. A
     * step-major pass, all blocks at each step, reads every block's U' at every step: G·4H·H values,
     * from memory once they outgrow the caches. The kernels {@code work} calls run on its thread
     * alone ({@link Parallel}: a part does not split again). Blocks are handed out in turn as cores
     * come free; what a block computes does not depend on which core runs it.
     *
     * @param columns the columns of each step, G·n
     * @param work what each block does
     * @throws IllegalStateException before {@link #load}, or when the columns are not G equal blocks
     */
    public void forEachBlock(int columns, BlockWork work) {
        if (!loaded) {
            throw new IllegalStateException("forEachBlock before load");
        }
        int blocks = masks.length;
        if (columns % blocks != 0) {
            throw new IllegalStateException("a pass of " + blocks + " samples has " + blocks
                    + " equal blocks of columns; got " + columns + " columns");
        }
        int n = columns / blocks;
        AtomicInteger next = new AtomicInteger();
        Parallel.forEachPart(Math.min(Parallel.THREADS, blocks), part -> {
            for (int g = next.getAndIncrement(); g < blocks; g = next.getAndIncrement()) {
                work.run(g, g * n, n);
            }
        });
    }

    /**
     * {@code c} = U'_g · {@code x} + beta · {@code c} on this thread alone, for block g's columns of
     * a step inside {@link #forEachBlock}: the same values as {@link #multiply(Mat, double, Mat)}
     * gives those columns (each row of c summed in the same order).
     *
     * @param block g
     * @param x H × n, block g's columns of h̃_{t-1}
     * @param beta the factor of c's old values (0: c is overwritten)
     * @param c 4H × n, block g's columns of z_t, written
     * @throws IllegalStateException before {@link #load}
     * @throws IllegalArgumentException when the shapes do not fit
     */
    public void multiply(int block, Mat x, double beta, Mat c) {
        if (!loaded) {
            throw new IllegalStateException("multiply before load");
        }
        StepProduct product = products.get(block);
        if (product instanceof PanelProduct panels && panels.usesPanels(x, c)) {
            panels.multiplyOnThisThread(x, beta, c);
        } else {
            // BLAS: inside forEachBlock a part's product does not split again
            product.multiply(x, beta, c);
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
     * @param gate the gate: 0 to 3 for an LSTM's i, f, g, o, 0 to 2 for a GRU's r, u, n
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
            int units = c.rows();
            Blas.gemm(false, false, 1, u.rows(gate * units, units), x.columns(g * n, n), beta, c.columns(g * n, n));
        }
    }

    /** Frees every block's U' and panels; the object stays usable. */
    @Override
    public void close() {
        products.forEach(StepProduct::close);
        products.clear();
        laidOutFrom = null;
        gateWeights.forEach(MaskedWeights::close);
        gateWeights.clear();
        loaded = false;
        gatesLoaded = false;
    }

    /** {@return how many loads laid the blocks' U' out afresh (the others found them laid out)} */
    int laidOuts() {
        return laidOuts;
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
