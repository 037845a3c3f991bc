package dev.vdrop.runtime.model;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.ModelSizes;
import dev.vdrop.runtime.checkpoint.Checkpoint;
import dev.vdrop.runtime.checkpoint.CheckpointException;
import dev.vdrop.runtime.checkpoint.RecurrentCells;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A model file's contents as a {@link Checkpoint} (the checkpoint format carries them) and back:
 * metadata keys under {@code vdrop.}, the token symbols as the checkpoint's vocabulary, the
 * parameters as the {@code "parameters"} group, the recurrent layers' cells as {@link RecurrentCells}
 * under {@value #PREFIX} (absent from files saved before they were recorded). Doubles are written with {@link Double#toString},
 * which reads back to the same double.
 */
final class Codec {
    static final String PREFIX = "vdrop.";
    static final String KIND = "vdrop.kind";
    static final String KIND_MODEL = "model file";
    static final String VERSION = "vdrop.model_file_version";
    static final String MODEL = "vdrop.model";
    static final String INPUT = "vdrop.input";
    static final String TOKENIZATION = "vdrop.tokenization";
    static final String FEATURES = "vdrop.features";
    static final String LABELS = "vdrop.labels";
    static final String LABEL = "vdrop.label.";
    static final String MEAN = "vdrop.scaling.mean";
    static final String STD = "vdrop.scaling.std";
    static final String WINDOW = "vdrop.window";
    static final String SIZE = "vdrop.size.";
    static final String PARAMETERS = "parameters";

    private Codec() {}

    static Checkpoint encode(String model, RecurrentCells cells, ModelSizes sizes, PredictionInfo info,
                             Map<String, Mat> parameters) {
        Checkpoint.Builder b = Checkpoint.builder()
                .metadata(KIND, KIND_MODEL)
                .metadata(VERSION, Integer.toString(ModelFile.FORMAT_VERSION))
                .metadata(MODEL, model);
        cells.writeTo(b, PREFIX);
        size(b, "input", sizes.input());
        size(b, "output", sizes.output());
        if (info.input() instanceof ModelInput.Tokens tokens) {
            b.metadata(INPUT, "tokens").metadata(TOKENIZATION, tokens.tokenization().name()).vocabulary(tokens.symbols());
        } else {
            b.metadata(INPUT, "features").metadata(FEATURES, Integer.toString(((ModelInput.Features) info.input()).count()));
        }
        b.metadata(LABELS, Integer.toString(info.labels().size()));
        for (int i = 0; i < info.labels().size(); i++) {
            b.metadata(LABEL + i, info.labels().get(i));
        }
        info.scaling().ifPresent(s -> b.metadata(MEAN, Double.toString(s.mean())).metadata(STD, Double.toString(s.std())));
        info.window().ifPresent(w -> b.metadata(WINDOW, Integer.toString(w)));
        return b.tensors(PARAMETERS, parameters).build();
    }

    private static void size(Checkpoint.Builder b, String which, ModelSizes.Size size) {
        b.metadata(SIZE + which, size.name() + " " + size.value() + " " + (size.declared() ? "declared" : "given"));
    }

    /** The checked contents of a checkpoint known to be a model file of this version. */
    static ModelFile decode(Path file, Checkpoint c) throws ModelFileException {
        try {
            ModelSizes sizes = new ModelSizes(size(file, c, "input"), size(file, c, "output"));
            ModelInput input = switch (c.require(INPUT)) {
                case "tokens" -> new ModelInput.Tokens(tokenization(file, c), c.vocabulary());
                case "features" -> new ModelInput.Features(integer(file, c, FEATURES));
                default -> throw new ModelFileException(Messages.malformed(file, INPUT, c.require(INPUT)));
            };
            int count = integer(file, c, LABELS);
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                labels.add(c.require(LABEL + i));
            }
            Optional<Scaling> scaling = c.metadata().containsKey(MEAN)
                    ? Optional.of(new Scaling(c.requireDouble(MEAN), c.requireDouble(STD))) : Optional.empty();
            OptionalInt window = c.metadata().containsKey(WINDOW) ? OptionalInt.of(integer(file, c, WINDOW)) : OptionalInt.empty();
            PredictionInfo info = new PredictionInfo(input, labels, scaling, window);
            Map<String, Mat> parameters = c.requireGroup(PARAMETERS);
            if (parameters.isEmpty()) {
                throw new ModelFileException(Messages.malformed(file, "it has no parameters"));
            }
            return new ModelFile(file, c.require(MODEL), RecurrentCells.read(c, PREFIX), sizes, info, parameters);
        } catch (CheckpointException | IllegalArgumentException e) {
            throw new ModelFileException(Messages.malformed(file, e.getMessage()), e);
        }
    }

    private static ModelSizes.Size size(Path file, Checkpoint c, String which) throws CheckpointException, ModelFileException {
        String key = SIZE + which;
        String[] parts = c.require(key).split(" ");
        if (parts.length != 3 || !parts[2].matches("declared|given")) {
            throw new ModelFileException(Messages.malformed(file, key, c.require(key)));
        }
        try {
            return new ModelSizes.Size(parts[0], Integer.parseInt(parts[1]), parts[2].equals("declared"));
        } catch (NumberFormatException e) {
            throw new ModelFileException(Messages.malformed(file, key, c.require(key)), e);
        }
    }

    private static Tokenization tokenization(Path file, Checkpoint c) throws CheckpointException, ModelFileException {
        String name = c.require(TOKENIZATION);
        try {
            return Tokenization.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(Messages.malformed(file, TOKENIZATION, name), e);
        }
    }

    private static int integer(Path file, Checkpoint c, String key) throws CheckpointException, ModelFileException {
        long value = c.requireLong(key);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new ModelFileException(Messages.malformed(file, key, Long.toString(value)));
        }
        return (int) value;
    }
}
