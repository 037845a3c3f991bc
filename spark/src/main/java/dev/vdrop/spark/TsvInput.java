package dev.vdrop.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * A tab-separated file with a header line as a {@code Dataset}: column {@link #LINE}, the line's
 * number in the file (the header is line 1, so the first row is line 2), then the header's columns
 * as strings, then {@link McScorer#ERROR}, which is null unless the line has another number of
 * fields than the header (its fields are then kept as far as they go). Empty lines are skipped;
 * their numbers are not used. Lines are numbered with {@code zipWithIndex} over the file's lines,
 * so a line's number does not depend on how the file is split into partitions: keyed by it, a
 * row's masks are the same however the job runs. Fields are not quoted: a field holds no tab.
 */
public final class TsvInput {
    /** The column of line numbers. */
    public static final String LINE = "line";

    private TsvInput() {}

    /**
     * Reads a TSV file (any path Spark's {@code textFile} reads, compressed ones too).
     *
     * @param spark the session
     * @param path the file
     * @param minPartitions the fewest partitions to split it into (Spark may make more); 0 for Spark's default
     * @return the rows, lazily; reading the header and numbering the lines run two small jobs now
     * @throws IllegalArgumentException when the file is empty, or its header has an empty or repeated
     *     column name, or a column named {@code line} or {@code error}
     */
    public static Dataset<Row> read(SparkSession spark, String path, int minPartitions) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<String> lines = minPartitions > 0 ? context.textFile(path, minPartitions) : context.textFile(path);
        List<String> first = lines.take(1);
        if (first.isEmpty()) {
            throw new IllegalArgumentException(path + " is empty; a TSV file starts with a header line of column names");
        }
        String[] header = fields(first.get(0).replace("\uFEFF", ""));
        StructType schema = schema(path, header);
        int width = header.length;
        JavaRDD<Row> rows = lines.zipWithIndex()
                .filter(line -> line._2() > 0 && !withoutCr(line._1()).isEmpty())
                .map(line -> row(line, width));
        return spark.createDataFrame(rows, schema);
    }

    private static StructType schema(String path, String[] header) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(LINE, DataTypes.LongType, false));
        Set<String> seen = new HashSet<>();
        for (String name : header) {
            if (name.isBlank()) {
                throw new IllegalArgumentException(path + ": the header line " + Arrays.toString(header)
                        + " has an empty column name");
            }
            if (name.equals(LINE) || name.equals(McScorer.ERROR)) {
                throw new IllegalArgumentException(path + ": the header has a column named " + name
                        + ", which the scorer adds; rename it");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(path + ": the header names the column " + name + " twice");
            }
            fields.add(DataTypes.createStructField(name, DataTypes.StringType, true));
        }
        fields.add(DataTypes.createStructField(McScorer.ERROR, DataTypes.StringType, true));
        return DataTypes.createStructType(fields);
    }

    /** A line and its index as a row: line number, the fields, the error. */
    private static Row row(Tuple2<String, Long> line, int width) {
        String[] fields = fields(line._1());
        Object[] values = new Object[width + 2];
        values[0] = line._2() + 1;
        System.arraycopy(fields, 0, values, 1, Math.min(width, fields.length));
        if (fields.length != width) {
            values[width + 1] = fields.length + (fields.length == 1 ? " field" : " fields") + " where the header has " + width;
        }
        return RowFactory.create(values);
    }

    private static String[] fields(String line) {
        return withoutCr(line).split("\t", -1);
    }

    private static String withoutCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
