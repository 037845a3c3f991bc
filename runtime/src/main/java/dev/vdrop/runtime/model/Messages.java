package dev.vdrop.runtime.model;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.ModelSizes;
import dev.vdrop.runtime.checkpoint.RecurrentCells;
import java.nio.file.Path;
import java.util.List;

/** Every message of this package, in one place: what is wrong, the values found, what to do. */
final class Messages {
    private static final int MAX_LISTED = 10;

    private Messages() {}

    static String missing(Path file) {
        return "no model file at " + file;
    }

    static String isDirectory(Path file) {
        return file + " is a directory, not a model file; give the path of a model file inside it";
    }

    static String unreadable(Path file) {
        return "cannot read model file " + file + ": permission denied";
    }

    /** A checkpoint-layer message, said of a model file. */
    static String fromCheckpoint(Path file, String message) {
        return message.replace("checkpoint " + file, "model file " + file)
                .replace("vdrop checkpoint", "vdrop model file")
                .replace("use an earlier checkpoint", "save the model file again")
                .replace("is not a checkpoint", "is not a model file");
    }

    static String trainingCheckpoint(Path file) {
        return file + " is a training checkpoint (the state a trainer resumes from), not a model file; "
                + "load it with Checkpoints.load to resume training, or restore its parameters into the network and "
                + "save a model file with ModelFile.save";
    }

    static String notACheckpoint(Path file) {
        return file + " is a model file (saved for prediction by ModelFile.save), not a training checkpoint: it holds "
                + "no optimiser state to resume from; load it with ModelFile.load, or resume from the trainer's checkpoint";
    }

    static String notAModelFile(Path file, String kind) {
        return file + " is a vdrop file of kind \"" + kind + "\", not a model file; save one with ModelFile.save";
    }

    static String newerVersion(Path file, int version) {
        return "model file " + file + " has model-file version " + version + "; this vdrop reads version "
                + ModelFile.FORMAT_VERSION + " — load it with the newer vdrop that wrote it";
    }

    static String malformed(Path file, String key, String value) {
        return malformed(file, "its " + key + " is \"" + value + "\"");
    }

    static String malformed(Path file, String detail) {
        return "model file " + file + " is malformed: " + detail + "; it was not written by ModelFile.save of this vdrop";
    }

    static String otherModel(Path file, String saved, String given) {
        return "model file " + file + " holds a " + saved + ", not the " + given + " given; restore it into a "
                + simpleName(saved);
    }

    /**
     * {@code model file F: layer rnn1 was trained as a VariationalLSTM of 64 units (W 256×32, …),
     * this network's rnn1 is a VariationalGRU of 64 units; load it into a network declared with
     * @VariationalLSTM}, and {@code , such as the com.example.X it was saved from} when the network
     * is of another class.
     */
    static String otherCells(Path file, List<RecurrentCells.Mismatch> mismatches, String saved, String given) {
        return "model file " + file + ": " + RecurrentCells.describe(mismatches, "this network's")
                + "; load it into a network declared with " + RecurrentCells.declaration(mismatches)
                + (saved.equals(given) ? "" : ", such as the " + saved + " it was saved from");
    }

    static String otherSizes(Path file, ModelSizes saved, ModelSizes given) {
        return "model file " + file + " was saved from a network of " + sizes(saved) + ", but this network has "
                + sizes(given) + "; build the network with the file's sizes (ModelFile.sizes())";
    }

    static String missingParameter(String name) {
        return "the network has a parameter " + name + " that the file lacks";
    }

    static String extraParameter(String name) {
        return "the file has a parameter " + name + " that the network lacks";
    }

    static String wrongShape(String name, Mat saved, Mat model) {
        return "the file's " + name + " is " + saved.rows() + " × " + saved.cols() + " but the network's is "
                + model.rows() + " × " + model.cols();
    }

    static String wrongType(String name, Mat saved, Mat model) {
        return "the file's " + name + " is " + saved.dataType() + " but the network's is " + model.dataType()
                + " (build the network with NetworkConfig.dataType(" + saved.dataType() + "))";
    }

    static String doesNotFit(Path file, List<String> differences) {
        int listed = Math.min(differences.size(), MAX_LISTED);
        String s = "model file " + file + " does not fit the network (" + differences.size()
                + (differences.size() == 1 ? " difference" : " differences") + "): "
                + String.join("; ", differences.subList(0, listed));
        return differences.size() > listed ? s + "; and " + (differences.size() - listed) + " more" : s;
    }

    static String sizes(ModelSizes sizes) {
        return sizes.input() + ", " + sizes.output();
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
