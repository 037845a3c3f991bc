package dev.vdrop.spark.cli;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.train.SequenceResult;
import dev.vdrop.samples.ClassifyCommand;
import dev.vdrop.spark.DataParallelResult;
import dev.vdrop.spark.DataParallelTrainer;
import dev.vdrop.spark.ReplicaConfig;
import dev.vdrop.spark.SampleModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vdrop-spark classify}: {@code vdrop classify} (the samples' {@link ClassifyCommand}: its
 * flags, data, split, test and files) with the training on Spark: {@code --workers} replicas, one
 * barrier task each, averaging every {@code --average-every} steps and at every epoch's end
 * ({@link DataParallelTrainer}). {@code --workers 1} gives {@code vdrop classify}'s numbers.
 * {@code classify.json} also gets the workers, the cut of the examples and the averaging rounds'
 * seconds; {@code train.jsonl} holds worker 0's training loss and the averaged model's validation.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"vdrop classify with data-parallel training on Spark: W replicas, each on a W-th of the",
                "training examples with classify's batch, averaging their parameters every N steps and at",
                "every epoch's end. --workers 1 gives vdrop classify's numbers.",
                "Writes classify.json, predictions.csv, reliability.png, train.jsonl and model.vdrop into --out."})
public final class ClassifyOnSparkCommand extends ClassifyCommand {
    @Mixin
    SparkTraining cluster;

    @Option(names = "--average-every", paramLabel = "N", defaultValue = "1000000",
            description = {"Optimiser steps between averages; every epoch's end averages too",
                    "(default: ${DEFAULT-VALUE}, once per epoch, as docs/spark-cost-model.md finds for the names)."})
    int averageEvery;

    private DataParallelResult spark;

    @Override
    protected SequenceResult train(Network<int[][], int[]> network, SerializableSettings settings, long seed,
                                   Path metrics, int[][] train, int[] trainLabels, int[][] valid, int[] validLabels) {
        DataParallelTrainer trainer = cluster.trainer(averageEvery, seed);
        int workers = cluster.workers;
        if (workers > train.length) {
            throw new UserError("--workers " + workers + " is more than the " + train.length + " training examples");
        }
        ReplicaConfig config = s -> settings.create(s).build();
        SparkSession session = cluster.session("vdrop-spark classify");
        try {
            spark = trainer.train(session, network, SampleModels.replicasOf(network), config, train, trainLabels, valid,
                    validLabels);
        } finally {
            session.stop();
        }
        writeMetrics(metrics, spark);
        PrintWriter log = spec.commandLine().getOut();
        List<DataParallelResult.Round> rounds = spark.rounds();
        log.printf(Locale.ROOT, "spark: %d worker%s of %,d examples (%d left out), averaging every %,d step%s: %d rounds"
                        + " per worker, mean %.4f s in allGather and %.4f s computing per round, exchange alone"
                        + " (median of each round's shortest allGather) %.4f s; job %.1f s%n",
                workers, workers == 1 ? "" : "s", spark.examplesPerWorker(), spark.droppedExamples(), averageEvery,
                averageEvery == 1 ? "" : "s", rounds.size() / workers, SparkTraining.mean(rounds, true), SparkTraining.mean(rounds, false), spark.exchangeSeconds(),
                spark.seconds());
        log.flush();
        Map<String, String> described = new LinkedHashMap<>(config.create(seed).describe());
        described.put("workers", Integer.toString(workers));
        described.put("average_every", Integer.toString(averageEvery));
        return new SequenceResult(spark.epochs(), spark.bestEpoch(), spark.best().validLoss(), Map.of(),
                spark.examplesPerWorker() * workers, valid.length, false, described);
    }

    @Override
    protected void report(Map<String, Object> report) {
        Map<String, Object> cut = new LinkedHashMap<>();
        cut.put("examples_per_worker", spark.examplesPerWorker());
        cut.put("dropped_examples", spark.droppedExamples());
        cluster.report(report, averageEvery, cut, spark.rounds(), spark.exchangeSeconds(), spark.seconds());
    }

    /** One JSON line per epoch, as {@code vdrop classify}'s {@code train.jsonl}: worker 0's training loss. */
    private static void writeMetrics(Path file, DataParallelResult result) {
        StringBuilder lines = new StringBuilder();
        for (SequenceResult.Epoch e : result.epochs()) {
            lines.append(String.format(Locale.ROOT, "{\"epoch\":%d,\"lr\":%s,\"train_loss\":%s,\"valid_loss\":%s,"
                            + "\"valid_accuracy\":%s,\"seconds\":%s}%n", e.epoch(), e.learningRate(), e.trainLoss(),
                    e.validLoss(), e.validAccuracy(), e.seconds()));
        }
        try {
            Files.writeString(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
