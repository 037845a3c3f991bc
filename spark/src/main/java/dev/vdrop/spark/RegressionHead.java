package dev.vdrop.spark;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.forecast.AffineMap;
import dev.vdrop.runtime.forecast.SeriesPrediction;
import dev.vdrop.runtime.mc.Interval;
import dev.vdrop.runtime.mc.RegressionPrediction;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * A regression model's MC columns, per output: {@code mean}, {@code variance} (epistemic plus the
 * learned noise), and the bounds of the 80% and 95% intervals {@code lo80}, {@code hi80},
 * {@code lo95}, {@code hi95}. With more than one output each name ends in {@code _<output>},
 * counted from 0. With a map {@code x = a + b·z} ({@link AffineMap}) the values are in the data's
 * units: the mean mapped, the variance times b², the bounds mapped ({@link SeriesPrediction}).
 *
 * @param outputs the values the model predicts per row
 */
record RegressionHead(int outputs) implements Head {
    private static final long serialVersionUID = 1L;
    private static final List<String> NAMES = List.of("mean", "variance", "lo80", "hi80", "lo95", "hi95");

    @Override
    public Class<?> prediction() {
        return double[][].class;
    }

    @Override
    public List<StructField> fields() {
        List<StructField> fields = new ArrayList<>();
        for (int j = 0; j < outputs; j++) {
            for (String name : NAMES) {
                fields.add(DataTypes.createStructField(outputs == 1 ? name : name + "_" + j, DataTypes.DoubleType, true));
            }
        }
        return fields;
    }

    @Override
    public List<Object[]> score(Network<?, ?> network, Object inputs, int samples, long seed, long[] keys, double[][] maps) {
        @SuppressWarnings("unchecked")
        Network<Object, double[][]> regression = (Network<Object, double[][]>) network;
        RegressionPrediction[][] predictions = McPredictor.forecast(regression, inputs, samples, seed, keys);
        List<Object[]> out = new ArrayList<>(predictions.length);
        for (int b = 0; b < predictions.length; b++) {
            double[] map = maps == null ? null : maps[b];
            AffineMap units = map == null ? null : new AffineMap(map[0], map[1]);
            Object[] values = new Object[outputs * NAMES.size()];
            for (int j = 0; j < outputs; j++) {
                RegressionPrediction z = predictions[b][j];
                double mean = z.mean();
                double variance = z.variance();
                Interval i80 = z.interval(0.8);
                Interval i95 = z.interval(0.95);
                if (units != null) {
                    SeriesPrediction x = units.map(z);
                    mean = x.mean();
                    variance = x.variance();
                    i80 = x.interval(0.8);
                    i95 = x.interval(0.95);
                }
                int at = j * NAMES.size();
                values[at] = mean;
                values[at + 1] = variance;
                values[at + 2] = i80.lo();
                values[at + 3] = i80.hi();
                values[at + 4] = i95.lo();
                values[at + 5] = i95.hi();
            }
            out.add(values);
        }
        return out;
    }
}
