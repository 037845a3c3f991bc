package dev.vdrop.spark.cli;

import dev.vdrop.spark.DataParallelResult;
import dev.vdrop.spark.DataParallelTrainer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * The training commands' Spark flags ({@code --master}, {@code --workers}, {@code --conf}; each
 * command has its own {@code --average-every} default), their checks and the session.
 */
final class SparkTraining {
    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[2]",
            description = "Spark master: local[N], spark://HOST:PORT, ... (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--workers", paramLabel = "W", defaultValue = "2",
            description = "Replicas; with more than one, one barrier task each, and the cluster needs W task slots"
                    + " (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting; repeat for more.")
    Map<String, String> conf = new LinkedHashMap<>();

    /**
     * {@return the trainer of these workers}
     *
     * @param averageEvery {@code --average-every}
     * @param seed the run's seed
     * @throws UserError when {@code --workers} or {@code --average-every} is below 1
     */
    DataParallelTrainer trainer(int averageEvery, long seed) {
        if (workers < 1) {
            throw new UserError("--workers must be at least 1, got " + workers);
        }
        if (averageEvery < 1) {
            throw new UserError("--average-every must be at least 1 (optimiser steps between averages), got "
                    + averageEvery);
        }
        return DataParallelTrainer.builder().workers(workers).averageEvery(averageEvery).seed(seed).build();
    }

    /** {@return a session on {@code --master} with {@code --conf}; stop it when the command ends} */
    SparkSession session(String name) {
        Map<String, String> sparkConf = new LinkedHashMap<>();
        // a barrier stage waits until the cluster has W slots, checking every 15 s by default: the
        // executors of a new application register a few seconds after the job is submitted
        sparkConf.put("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s");
        sparkConf.put("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "300");
        sparkConf.putAll(conf);
        return Sessions.create(master, name, sparkConf);
    }

    /** {@return the rounds' mean seconds in {@code allGather} ({@code gather}) or computing; 0 without rounds} */
    static double mean(List<DataParallelResult.Round> rounds, boolean gather) {
        return rounds.stream().mapToDouble(r -> gather ? r.gatherSeconds() : r.computeSeconds()).average().orElse(0);
    }

    /**
     * Adds the run's Spark fields to a command's JSON report: {@code master}, {@code workers},
     * {@code average_every}, the cut, the rounds' seconds and the job's.
     *
     * @param cut how the training data was cut, in order (examples or tokens per worker, dropped, ...)
     */
    void report(Map<String, Object> report, int averageEvery, Map<String, Object> cut,
                List<DataParallelResult.Round> rounds, double exchangeSeconds, double jobSeconds) {
        report.put("master", master);
        report.put("workers", workers);
        report.put("average_every", averageEvery);
        report.putAll(cut);
        report.put("rounds_per_worker", rounds.size() / workers);
        report.put("round_gather_seconds_mean", mean(rounds, true));
        report.put("round_compute_seconds_mean", mean(rounds, false));
        report.put("round_exchange_seconds_median", exchangeSeconds);
        report.put("job_seconds", jobSeconds);
    }
}
