package dev.vdrop.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' Spark: one {@code local[2]} session in this JVM, shared by the test classes (made again
 * when a test stopped it), on the loopback interface, without its web UI.
 */
public final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {}

    /** {@return the shared local[2] session} */
    public static synchronized SparkSession session() {
        if (session == null || session.sparkContext().isStopped()) {
            session = SparkSession.builder().master("local[2]").appName("vdrop-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
        }
        return session;
    }
}
