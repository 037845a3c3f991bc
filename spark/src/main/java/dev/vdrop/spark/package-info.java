/**
 * MC-dropout scoring on Apache Spark: {@link dev.vdrop.spark.McScorer} adds the MC columns of a
 * vdrop model file to a {@code Dataset} with a text column (or, for a forecaster, feature
 * columns: each row a window), row by row with masks keyed by each
 * row's own key, so the result does not depend on partitioning or batching and equals
 * {@link dev.vdrop.runtime.eval.McPredictor}'s in one JVM for the same seed and keys.
 *
 * <p>Call order: build the scorer with a model file and a {@link dev.vdrop.spark.NetworkFactory}
 * that rebuilds the file's generated network ({@link dev.vdrop.spark.SampleModels} for the
 * samples' classifiers and forecasters), read the data (for a TSV file with line numbers as keys,
 * {@link dev.vdrop.spark.TsvInput}), then {@code scorer.score(rows)} and write the result. The
 * model file goes to the executors once, as a broadcast; each executor JVM builds the network once.
 * See {@code docs/spark.md}.
 */
package dev.vdrop.spark;
