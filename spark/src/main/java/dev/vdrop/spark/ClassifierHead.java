package dev.vdrop.spark;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.mc.ClassPrediction;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * A classifier's MC columns: {@code predicted} (the label of the highest mean probability),
 * {@code p_predicted}, {@code entropy} and {@code mutual_information} (nats), then
 * {@code p_<label>} for each class in class order.
 *
 * @param labels the class labels in class order
 */
record ClassifierHead(List<String> labels) implements Head {
    private static final long serialVersionUID = 1L;

    ClassifierHead {
        labels = List.copyOf(labels);
    }

    @Override
    public Class<?> prediction() {
        return int[].class;
    }

    @Override
    public List<StructField> fields() {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("predicted", DataTypes.StringType, true));
        fields.add(DataTypes.createStructField("p_predicted", DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField("entropy", DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField("mutual_information", DataTypes.DoubleType, true));
        for (String label : labels) {
            fields.add(DataTypes.createStructField("p_" + label, DataTypes.DoubleType, true));
        }
        return fields;
    }

    @Override
    public List<Object[]> score(Network<?, ?> network, Object inputs, int samples, long seed, long[] keys, double[][] maps) {
        @SuppressWarnings("unchecked")
        Network<Object, int[]> classifier = (Network<Object, int[]>) network;
        List<ClassPrediction> predictions = McPredictor.classify(classifier, inputs, samples, seed, keys);
        List<Object[]> out = new ArrayList<>(predictions.size());
        for (ClassPrediction p : predictions) {
            Object[] values = new Object[4 + labels.size()];
            values[0] = labels.get(p.argmax());
            values[1] = p.predictedProbability();
            values[2] = p.predictiveEntropy();
            values[3] = p.mutualInformation();
            for (int c = 0; c < labels.size(); c++) {
                values[4 + c] = p.probability(c);
            }
            out.add(values);
        }
        return out;
    }
}
