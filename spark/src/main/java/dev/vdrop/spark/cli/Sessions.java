package dev.vdrop.spark.cli;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The commands' Spark session: the master, the loopback interface on one machine, the jar, ND4J's threads, {@code --conf}. */
final class Sessions {
    private Sessions() {}

    /**
     * A session for a command.
     *
     * @param master {@code --master}
     * @param name the application's name
     * @param conf {@code --conf}'s settings, applied last
     * @return the session; stop it when the command ends
     */
    static SparkSession create(String master, String name, Map<String, String> conf) {
        SparkConf settings = new SparkConf();
        settings.setMaster(master).setAppName(name);
        if (master.startsWith("local")) {
            // one machine: keep the driver's ports on the loopback interface
            settings.setIfMissing("spark.driver.host", "127.0.0.1");
            settings.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        } else {
            String jar = applicationJar();
            if (jar != null) {
                settings.setIfMissing("spark.jars", jar);
            }
        }
        // ND4J's OpenMP threads spin-wait and fight OpenBLAS for the cores unless told to sleep
        settings.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
        conf.forEach(settings::set);
        return SparkSession.builder().config(settings).getOrCreate();
    }

    /** {@return the jar this class was loaded from (the shaded jar, under the launcher), or null for a directory} */
    private static String applicationJar() {
        try {
            Path location = Path.of(Sessions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.toString().endsWith(".jar") ? location.toString() : null;
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }
}
