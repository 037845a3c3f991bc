package dev.vdrop.runtime.train;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.RecurrentState;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.checkpoint.CheckpointException;
import dev.vdrop.runtime.checkpoint.Checkpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one training loop of every generated network. What varies is plugged in: the data
 * ({@link EpochData}: token streams with carried state, or independent sequences shuffled every
 * epoch), the validation scores ({@link Validation}) and how the training loss is reported
 * ({@link Objective}); the rest is written here once.
 *
 * <p>An epoch: the rate from the schedule; the data's batches (a shuffle draws from the run's
 * generator first); for every batch: the state reset (or carried from the previous batch), every
 * mask sampled from the run's generator, gradients zeroed, forward (the loss), backward, the
 * global gradient norm, clipping as a factor of the step (Pascanu et al. 2013), the optimiser's
 * step. Then validation with dropout off, the best epoch kept (a strictly better score, or every
 * epoch when nothing is held out), the listeners told, and early stopping when the patience has
 * run out. At the end the best parameters go back into the network when the settings ask for it.
 *
 * <p>A {@link ReplicaHook}, when given, is called after every optimiser step and after the epoch's
 * last step, before validation; it may replace the parameters' values (a replicas' average).
 *
 * <p>One generator draws, in a fixed order, the shuffles and the masks: the same seed gives
 * bitwise the same run, and a run restored with {@link #restore} from a checkpoint continues as
 * the uninterrupted one would. Not thread-safe; one run per instance.
 */
final class TrainingLoop<I, T> {
    private final Network<I, T> network;
    private final List<Parameter> parameters;
    private final EpochData<I, T> data;
    private final Validation<I, T> validation;
    private final LoopSettings settings;
    private final Optimizer optimizer;
    private final List<LoopListener> listeners;
    private final Divergence.Handler divergence;
    private final Workspaces<I, T> workspaces;
    private final ReplicaHook hook;
    private final List<EpochRecord> history = new ArrayList<>();
    private Rng rng;
    private int bestEpoch;
    private double bestScore;
    private Map<String, Mat> best = Map.of();
    private int lastEpoch;
    private boolean stoppedEarly;
    private long steps;

    TrainingLoop(Network<I, T> network, EpochData<I, T> data, Validation<I, T> validation, LoopSettings settings,
                 Optimizer optimizer, long seed, List<LoopListener> listeners, Divergence.Handler divergence) {
        this(network, data, validation, settings, optimizer, seed, listeners, divergence, null);
    }

    /** As the other constructor, with a {@link ReplicaHook} called after every step and before every validation (null: none). */
    TrainingLoop(Network<I, T> network, EpochData<I, T> data, Validation<I, T> validation, LoopSettings settings,
                 Optimizer optimizer, long seed, List<LoopListener> listeners, Divergence.Handler divergence,
                 ReplicaHook hook) {
        this.hook = hook;
        this.network = network;
        this.parameters = network.parameters();
        this.data = data;
        this.validation = validation;
        this.settings = settings;
        this.optimizer = optimizer;
        this.rng = new Rng(seed);
        this.listeners = List.copyOf(listeners);
        this.divergence = divergence;
        this.workspaces = new Workspaces<>(network);
        this.bestScore = settings.selection().worst();
    }

    /**
     * Trains the epochs after the last finished one (0 for a new run) up to the settings' last,
     * or until early stopping.
     *
     * @return the epochs trained by this call
     * @throws TrainingException when the loss, the gradient norm or the validation score stops being finite
     */
    List<EpochRecord> run() {
        List<EpochRecord> trained = new ArrayList<>();
        try {
            for (int epoch = lastEpoch + 1; epoch <= settings.epochs() && !stoppedEarly; epoch++) {
                EpochRecord record = epoch(epoch);
                trained.add(record);
                history.add(record);
                lastEpoch = epoch;
                double score = record.valid(settings.selection().metric());
                if (record.validation().isEmpty() || settings.selection().improves(score, bestScore)) {
                    bestScore = record.validation().isEmpty() ? Double.NaN : score;
                    bestEpoch = epoch;
                    best = Checkpoints.snapshot(parameters);
                }
                for (LoopListener l : listeners) {
                    l.epochFinished(record, this);
                }
                stoppedEarly = patienceRanOut(epoch);
            }
            if (settings.restoreBest()) {
                restoreBest();
            }
        } finally {
            workspaces.close();
            listeners.forEach(LoopListener::runFinished);
        }
        return trained;
    }

    private EpochRecord epoch(int epoch) {
        double rate = settings.learningRate().at(epoch);
        List<Batch<I, T>> batches = data.epoch(rng);
        long start = System.nanoTime();
        double lossSum = 0;
        long units = 0;
        RecurrentState state = null;
        Workspace<I, T> previous = null;
        for (LoopListener l : listeners) {
            l.epochStarted(epoch, batches.size());
        }
        for (int i = 0; i < batches.size(); i++) {
            Batch<I, T> batch = batches.get(i);
            Workspace<I, T> workspace = workspaces.of(batch.size(), batch.steps());
            if (!data.carriesState() || previous == null) {
                workspace.resetState();
            } else if (previous != workspace) {
                workspace.setState(state);
            }
            workspace.sampleMasks(rng, DropoutMode.TRAIN);
            Gradients.zero(parameters);
            double loss = workspace.forward(batch.input(), batch.targets());
            if (!Double.isFinite(loss)) {
                throw divergence.handle(new Divergence(epoch, i + 1, batches.size(), rate, "the loss is " + loss), this);
            }
            workspace.backward();
            double norm = Gradients.globalNorm(parameters);
            if (!Double.isFinite(norm)) {
                throw divergence.handle(new Divergence(epoch, i + 1, batches.size(), rate, "the gradient norm is " + norm),
                        this);
            }
            optimizer.step(parameters, rate, settings.clip() > 0 ? Gradients.clipScale(norm, settings.clip()) : 1);
            steps++;
            if (hook != null) {
                hook.afterStep(steps, parameters);
            }
            lossSum += loss * batch.size();
            units += batch.units();
            if (data.carriesState()) {
                previous = workspace;
                boolean nextElsewhere = i + 1 < batches.size() && !batches.get(i + 1).shape().equals(batch.shape());
                state = nextElsewhere ? workspace.state() : null;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (LoopListener l : listeners) {
                l.batchFinished(lossSum, units, seconds);
            }
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        if (hook != null) {
            hook.epochEnd(epoch, steps, parameters);
        }
        Map<String, Double> scores = validation.score(network, workspaces);
        double seconds = (System.nanoTime() - start) / 1e9;
        double score = scores.getOrDefault(settings.selection().metric(), 0.0);
        if (!Double.isFinite(score)) {
            throw divergence.handle(new Divergence(epoch, batches.size(), batches.size(), rate,
                    "the validation " + settings.selection().metric().replace("valid_", "").replace('_', ' ') + " after the epoch is " + score),
                    this);
        }
        return new EpochRecord(epoch, rate, settings.objective().value(lossSum, units), scores, units / trainSeconds,
                seconds);
    }

    /** {@return whether training stops after {@code epoch}: patience epochs without a better score, before the last} */
    private boolean patienceRanOut(int epoch) {
        return settings.patience() > 0 && epoch - bestEpoch >= settings.patience() && epoch < settings.epochs();
    }

    /** Puts the best epoch's parameters back into the network (nothing before the first epoch). */
    void restoreBest() {
        try {
            Checkpoints.restore(best, parameters);
        } catch (CheckpointException e) {
            throw new IllegalStateException("the best parameters no longer fit the network they were taken from: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Continues a saved run: its generator, optimiser and parameters, best epoch and last epoch,
     * as {@link #snapshot()} gave them. Nothing is restored when the checkpoint has trained more
     * epochs than the settings ask for; as many is fine: nothing is left to train, and the history
     * is the whole run's.
     *
     * @throws CheckpointException when the checkpoint is past the settings' last epoch, or its
     *     order or tensors do not fit this run
     */
    void restore(LoopState saved) throws CheckpointException {
        if (saved.epoch() > settings.epochs()) {
            throw new CheckpointException(tooFewEpochs(saved.epoch(), settings.epochs()));
        }
        try {
            data.restoreOrder(saved.order());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(e.getMessage());
        }
        Checkpoints.restore(saved.parameters(), parameters);
        optimizer.restore(saved.optimizer());
        rng = new Rng(saved.rngState());
        bestEpoch = saved.bestEpoch();
        bestScore = saved.bestScore();
        best = saved.best();
        lastEpoch = saved.epoch();
        history.clear();
        history.addAll(saved.history());
        // a checkpoint of the epoch the patience ran out at: the uninterrupted run stopped there
        stoppedEarly = patienceRanOut(lastEpoch);
    }

    /** The message for a resume that asks for fewer epochs than the checkpoint has trained. */
    static String tooFewEpochs(int done, int asked) {
        return "the checkpoint has trained " + done + " epoch" + (done == 1 ? "" : "s") + ", more than the " + asked
                + " this run asks for; ask for at least " + done + " epochs (" + done
                + " trains nothing more and reports the whole run)";
    }

    /** {@return the run's state after its last finished epoch, what a checkpoint saves} */
    LoopState snapshot() {
        return new LoopState(lastEpoch, rng.state(), data.order(), Checkpoints.snapshot(parameters), optimizer.state(), bestEpoch,
                bestScore, best, history);
    }

    Network<I, T> network() {
        return network;
    }

    Selection selection() {
        return settings.selection();
    }

    String optimizerName() {
        return optimizer.name();
    }

    int bestEpoch() {
        return bestEpoch;
    }

    double bestScore() {
        return bestScore;
    }

    Map<String, Mat> best() {
        return best;
    }

    boolean stoppedEarly() {
        return stoppedEarly;
    }

    /** {@return every finished epoch of the run, those before a resume included} */
    List<EpochRecord> history() {
        return List.copyOf(history);
    }
}
