package dev.vdrop.samples;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.forecast.FittedScale;
import dev.vdrop.runtime.forecast.ScaledWindows;
import dev.vdrop.runtime.mc.RegressionPrediction;
import dev.vdrop.runtime.train.RegressionConfig;
import dev.vdrop.runtime.train.RegressionResult;
import dev.vdrop.runtime.train.RegressionTrainer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The models of {@code vdrop forecast}'s evaluation and their forecasts. Each round trains a new
 * network (the same initial weights, the same example order and masks: the same settings) on its
 * training windows, keeps the best epoch by validation loss (or the last), then forecasts its test
 * windows with K MC-dropout passes (the same mask seed each round). One round by default: the model
 * trained on the rows before the first origin forecasts every test window; under {@code --refit},
 * one round per backtest origin.
 *
 * @param network the last round's model (the one {@code --future} forecasts with)
 * @param result the last round's training
 * @param validRmse the last round's validation RMSE of the kept epoch, in the series' units
 * @param rounds how many models were trained
 * @param trainSeconds the time of every training
 * @param predictSeconds the time of every MC forecast
 * @param predictions per test window, the rounds' in order, one per step, in the network's units
 */
record Evaluation(Network<double[][][], double[][]> network, RegressionResult result, double validRmse, int rounds,
                  double trainSeconds, double predictSeconds, RegressionPrediction[][] predictions) {
    /**
     * One model's data.
     *
     * @param label what the console calls the round, e.g. {@code origin 2 of 4 (row 173): }, empty for the only one
     * @param train its training windows, cut when the round starts (so that only one round's are in memory)
     * @param test its test windows
     * @param scaling how both were scaled: its scale maps the validation RMSE to the series' units
     */
    record Round(String label, Supplier<ScaledWindows> train, ScaledWindows test, FittedScale scaling) {}

    /**
     * Trains and forecasts every round in turn, printing a line per training.
     *
     * @param network makes each round's new network
     * @param config the training's settings, the same every round (its metrics file gets every round's epochs)
     * @param restoreBest whether to forecast with the best epoch by validation loss rather than the last
     */
    static Evaluation run(List<Round> rounds, Supplier<Network<double[][][], double[][]>> network, RegressionConfig config,
                          boolean restoreBest, int mcSamples, long mcSeed, PrintWriter log) {
        Network<double[][][], double[][]> model = null;
        RegressionResult result = null;
        double validRmse = Double.NaN;
        double trainSeconds = 0;
        double predictSeconds = 0;
        List<RegressionPrediction[]> predictions = new ArrayList<>();
        for (Round round : rounds) {
            // the windows' copies only: the windows themselves are garbage once copied
            ScaledWindows train = round.train().get();
            double[][][] inputs = train.inputs();
            double[][] targets = train.targets();
            train = null;
            model = network.get();
            long start = System.nanoTime();
            // A diverging run throws TrainingException, which Main prints as one line with exit code 1.
            result = new RegressionTrainer(config).train(model, inputs, targets);
            double seconds = (System.nanoTime() - start) / 1e9;
            trainSeconds += seconds;
            RegressionResult.Epoch kept = restoreBest ? result.best() : result.last();
            // b is the same for every window, so an RMSE in the network's units maps to the series' by b alone
            validRmse = kept.validRmse() * round.scaling().scale();
            log.printf(Locale.ROOT, "%strained %d epochs on %,d windows in %.1f s; kept epoch %d (validation RMSE %.4g on the "
                            + "last %,d)%n", round.label(), result.epochs().size(), result.trainExamples(), seconds,
                    kept.epoch(), validRmse, result.validExamples());
            log.flush();

            start = System.nanoTime();
            predictions.addAll(List.of(McPredictor.forecast(model, round.test().inputs(), mcSamples, new Rng(mcSeed))));
            predictSeconds += (System.nanoTime() - start) / 1e9;
        }
        return new Evaluation(model, result, validRmse, rounds.size(), trainSeconds, predictSeconds,
                predictions.toArray(RegressionPrediction[][]::new));
    }
}
