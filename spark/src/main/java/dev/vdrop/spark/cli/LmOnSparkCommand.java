package dev.vdrop.spark.cli;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.Tokenization;
import dev.vdrop.runtime.text.Corpus;
import dev.vdrop.runtime.train.TrainingConfig;
import dev.vdrop.runtime.train.TrainingResult;
import dev.vdrop.samples.LmCommand;
import dev.vdrop.spark.DataParallelLanguageModelResult;
import dev.vdrop.spark.DataParallelResult;
import dev.vdrop.spark.DataParallelTrainer;
import dev.vdrop.spark.LanguageModelReplicaConfig;
import dev.vdrop.spark.LanguageModelReplicaFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vdrop-spark lm}: {@code vdrop lm} (the samples' {@link LmCommand}: its flags, corpus,
 * model, evaluation and files) with the training on Spark: {@code --workers} replicas, each on a
 * contiguous W-th of the training ids with {@code lm}'s batch, averaging every
 * {@code --average-every} steps and at every epoch's end ({@link DataParallelTrainer#trainLanguageModel}).
 * {@code --workers 1} gives {@code vdrop lm}'s numbers. The JSON report also gets the workers, the
 * cut of the ids and the averaging rounds' seconds. No checkpoints: the replicas run on executors.
 */
@Command(name = "lm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"vdrop lm with data-parallel training on Spark: W replicas, each on a contiguous W-th of the",
                "training tokens with lm's batch, averaging their parameters every N steps and at every",
                "epoch's end. --workers 1 gives vdrop lm's numbers. No --checkpoint or --resume."})
public final class LmOnSparkCommand extends LmCommand {
    @Mixin
    SparkTraining cluster;

    @Option(names = "--average-every", paramLabel = "N", defaultValue = "134",
            description = {"Optimiser steps between averages; every epoch's end averages too",
                    "(default: ${DEFAULT-VALUE}, docs/spark-cost-model.md's N for moby-small at 2 workers)."})
    int averageEvery;

    private DataParallelLanguageModelResult spark;

    @Override
    protected TrainingResult train(Network<int[][], int[][]> network, SerializableNetworks networks,
                                   SerializableSettings settings, TrainingConfig config, Corpus corpus) {
        DataParallelTrainer trainer = cluster.trainer(averageEvery, config.seed());
        if (config.checkpointDir() != null) {
            throw new UserError("vdrop-spark lm has no --checkpoint or --resume: its replicas train on executors;"
                    + " run it again from the start");
        }
        int workers = cluster.workers;
        long segment = (long) config.batch() * (config.steps() + 1L);
        if (corpus.train().length / workers < segment) {
            throw new UserError(String.format(Locale.ROOT, "--workers %d leaves each worker %,d of the %,d training"
                            + " tokens, fewer than one segment of %d streams × %d tokens; use fewer workers",
                    workers, corpus.train().length / workers, corpus.train().length, config.batch(), config.steps() + 1L));
        }
        LanguageModelReplicaConfig replicas = seed -> settings.create(seed).build();
        LanguageModelReplicaFactory factory = () -> networks.create();
        ModelInput.Tokens tokens = new ModelInput.Tokens(Tokenization.of(corpus.tokenizer()),
                corpus.vocabulary().words());
        SparkSession session = cluster.session("vdrop-spark lm");
        try {
            spark = trainer.trainLanguageModel(session, network, factory, replicas, corpus.train(), corpus.valid(),
                    tokens);
        } finally {
            session.stop();
        }
        List<DataParallelResult.Round> rounds = spark.rounds();
        System.out.printf(Locale.ROOT, "spark: %d worker%s of %,d tokens (%d left out), %d steps an epoch each,"
                        + " averaging every %,d step%s: %d rounds per worker, mean %.4f s in allGather and %.4f s"
                        + " computing per round, exchange alone (median of each round's shortest allGather) %.4f s;"
                        + " job %.1f s%n",
                workers, workers == 1 ? "" : "s", spark.tokensPerWorker(), spark.droppedTokens(), spark.stepsPerEpoch(),
                averageEvery, averageEvery == 1 ? "" : "s", rounds.size() / workers, SparkTraining.mean(rounds, true),
                SparkTraining.mean(rounds, false), spark.exchangeSeconds(), spark.seconds());
        return new TrainingResult(spark.epochs(), 0, spark.bestEpoch(), spark.bestValidPerplexity(), Map.of());
    }

    @Override
    protected void report(Map<String, Object> report) {
        Map<String, Object> cut = new LinkedHashMap<>();
        cut.put("tokens_per_worker", spark.tokensPerWorker());
        cut.put("dropped_tokens", spark.droppedTokens());
        cut.put("steps_per_epoch", spark.stepsPerEpoch());
        cluster.report(report, averageEvery, cut, spark.rounds(), spark.exchangeSeconds(), spark.seconds());
    }
}
