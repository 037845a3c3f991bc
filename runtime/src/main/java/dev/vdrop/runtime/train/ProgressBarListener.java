package dev.vdrop.runtime.train;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A console progress bar per epoch, its text the running training loss. */
final class ProgressBarListener implements LoopListener {
    private final int epochs;
    private final Objective objective;
    private ProgressBar bar;

    ProgressBarListener(int epochs, Objective objective) {
        this.epochs = epochs;
        this.objective = objective;
    }

    @Override
    public void epochStarted(int epoch, int batches) {
        close();
        bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                .setInitialMax(batches).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                .continuousUpdate().build();
    }

    @Override
    public void batchFinished(double lossSum, long units, double seconds) {
        bar.step();
        bar.setExtraMessage(objective.progress(lossSum, units, seconds));
    }

    @Override
    public void epochFinished(EpochRecord epoch, TrainingLoop<?, ?> loop) {
        close();
    }

    @Override
    public void runFinished() {
        close();
    }

    private void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
