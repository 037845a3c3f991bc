/**
 * The {@code vdrop-spark} command line: {@code score} runs MC scoring of a TSV file through a Spark
 * master ({@code local[2]} by default) with the shaded application jar. Run through the
 * {@code ./vdrop-spark} launcher, or {@code spark-submit --class dev.vdrop.spark.cli.Main}.
 */
package dev.vdrop.spark.cli;
