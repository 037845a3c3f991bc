package dev.vdrop.runtime.checkpoint;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cell of each recurrent layer of a network — the annotation that declares it,
 * {@code VariationalLSTM} or {@code VariationalGRU} — with its units and parameter shapes, as the
 * network's {@link Network#summary() summary} gives them. A file records them so that a network
 * whose layers have other cells refuses it with a message naming both cells, before the
 * parameters' shapes are compared (an LSTM's W is 4H × I, a GRU's 3H × I: a list of shapes would
 * not say why they differ).
 *
 * <p>Call order. Saving: {@link #of of(network)}, then {@link #writeTo} the checkpoint's builder.
 * Loading: {@link #read} the checkpoint, {@link #mismatches} against {@code of(network)}; each
 * mismatch is the n-th recurrent layer of both, with another cell. A training checkpoint does both
 * through {@link Checkpoints#checkCells}; a model file through its own messages.
 *
 * <p>Metadata, under a prefix ({@code ""} in a training checkpoint, {@code "vdrop."} in a model
 * file): {@code layers} = the recurrent layers' names, input side first, separated by spaces, and
 * for each layer {@code layer.NAME.cell} (e.g. {@code VariationalLSTM}), {@code layer.NAME.units}
 * (e.g. {@code 200}) and {@code layer.NAME.parameters} (the summary's shapes, e.g.
 * {@code W 800×200, U 800×200, b 800}). A file without the {@code layers} key — written before
 * cells were recorded — has {@linkplain #isEmpty() none}: there is nothing to compare, and the
 * parameters' shapes are checked as before.
 */
public final class RecurrentCells {
    /** The summary row types of recurrent layers: the annotations that declare them. */
    public static final List<String> CELLS = List.of("VariationalLSTM", "VariationalGRU");

    private static final String LAYERS = "layers";
    private static final String LAYER = "layer.";
    private static final Pattern UNITS = Pattern.compile("(\\d+)\\)$");
    private static final Pattern NAME = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*");

    /**
     * One recurrent layer.
     *
     * @param name the field that declares it, e.g. {@code lstm1}
     * @param cell its annotation without the {@code @}, one of {@link #CELLS}
     * @param units its units H
     * @param parameterShapes its parameters' shapes as the summary writes them, e.g.
     *     {@code W 800×200, U 800×200, b 800}
     */
    public record Layer(String name, String cell, int units, String parameterShapes) {
        /** Checks the values. */
        public Layer {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(cell, "cell");
            Objects.requireNonNull(parameterShapes, "parameterShapes");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("a layer's name must be a Java identifier, got \"" + name + "\"");
            }
            if (!CELLS.contains(cell)) {
                throw new IllegalArgumentException("a layer's cell must be one of " + String.join(" or ", CELLS) + ", got \""
                        + cell + "\"");
            }
            if (units <= 0) {
                throw new IllegalArgumentException("a layer's units must be positive, got " + units);
            }
        }

        /** {@return e.g. {@code a VariationalLSTM of 200 units (W 800×200, U 800×200, b 800)}} */
        public String describe() {
            return "a " + cell + " of " + units + " units" + (parameterShapes.isEmpty() ? "" : " (" + parameterShapes + ")");
        }
    }

    /**
     * The n-th recurrent layer of a file and of a network, with other cells.
     *
     * @param saved the file's layer
     * @param network the network's layer at the same place of its stack
     */
    public record Mismatch(Layer saved, Layer network) {}

    private static final RecurrentCells NONE = new RecurrentCells(List.of());

    private final Map<String, Layer> layers;

    private RecurrentCells(List<Layer> layers) {
        Map<String, Layer> byName = new LinkedHashMap<>();
        for (Layer l : layers) {
            if (byName.putIfAbsent(l.name(), l) != null) {
                throw new IllegalArgumentException("two recurrent layers are named " + l.name());
            }
        }
        this.layers = byName;
    }

    /** {@return no layers: what a file written before cells were recorded has} */
    public static RecurrentCells none() {
        return NONE;
    }

    /**
     * The recurrent layers of a network: the rows of its summary whose type is one of
     * {@link #CELLS}, the units being the last number of the row's output shape ({@code (B, T, 200)}).
     *
     * @param network a network, usually an instance of a generated class
     * @return its recurrent layers, input side first
     * @throws IllegalArgumentException when a recurrent row's output shape does not end with its units
     */
    public static RecurrentCells of(Network<?, ?> network) {
        List<Layer> found = new ArrayList<>();
        for (Summary.Row row : network.summary().rows()) {
            if (CELLS.contains(row.type())) {
                Matcher m = UNITS.matcher(row.outputShape());
                if (!m.find()) {
                    throw new IllegalArgumentException("the summary's row " + row.name() + " has the output shape \""
                            + row.outputShape() + "\", which does not end with its units");
                }
                found.add(new Layer(row.name(), row.type(), Integer.parseInt(m.group(1)), row.parameterShapes()));
            }
        }
        return new RecurrentCells(found);
    }

    /**
     * The layers recorded in a checkpoint's metadata under {@code prefix}.
     *
     * @param checkpoint a loaded checkpoint or model file
     * @param prefix the keys' prefix, {@code ""} or {@code "vdrop."}
     * @return its layers, or {@link #none()} when it records none (a file written before cells were)
     * @throws CheckpointException when the record is there but incomplete or malformed, naming the key
     */
    public static RecurrentCells read(Checkpoint checkpoint, String prefix) throws CheckpointException {
        String names = checkpoint.metadata().get(prefix + LAYERS);
        if (names == null) {
            return NONE;
        }
        List<Layer> read = new ArrayList<>();
        for (String name : names.isBlank() ? new String[0] : names.trim().split(" +")) {
            String key = prefix + LAYER + name + ".";
            long units = checkpoint.requireLong(key + "units");
            String cell = checkpoint.require(key + "cell");
            try {
                read.add(new Layer(name, cell, Math.toIntExact(units), checkpoint.require(key + "parameters")));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new CheckpointException(Messages.badLayer(prefix + LAYERS, name, e.getMessage()), e);
            }
        }
        try {
            return new RecurrentCells(read);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(Messages.badLayer(prefix + LAYERS, names, e.getMessage()), e);
        }
    }

    /**
     * Records the layers in a checkpoint's metadata under {@code prefix}.
     *
     * @param builder the checkpoint being built
     * @param prefix the keys' prefix, {@code ""} or {@code "vdrop."}
     * @return the builder
     */
    public Checkpoint.Builder writeTo(Checkpoint.Builder builder, String prefix) {
        builder.metadata(prefix + LAYERS, String.join(" ", layers.keySet()));
        for (Layer l : layers.values()) {
            String key = prefix + LAYER + l.name() + ".";
            builder.metadata(key + "cell", l.cell())
                    .metadata(key + "units", Integer.toString(l.units()))
                    .metadata(key + "parameters", l.parameterShapes());
        }
        return builder;
    }

    /** {@return the layers, input side first; unmodifiable} */
    public List<Layer> layers() {
        return List.copyOf(layers.values());
    }

    /** {@return whether there are no layers: a file written before cells were recorded} */
    public boolean isEmpty() {
        return layers.isEmpty();
    }

    /**
     * The layers at the same place of the stack (the n-th recurrent layer of each, whatever its
     * name: a twin declared with the other cell often renames its fields) with other cells. Layers
     * only one side has, and other units, are not mismatches here: the parameters' names and shapes
     * say those.
     *
     * @param network the network's layers ({@link #of})
     * @return the mismatches in this file's order; empty when every layer both have has the same cell
     *     or this file records none
     */
    public List<Mismatch> mismatches(RecurrentCells network) {
        List<Mismatch> found = new ArrayList<>();
        List<Layer> saved = layers();
        List<Layer> theirs = network.layers();
        for (int i = 0; i < Math.min(saved.size(), theirs.size()); i++) {
            if (!theirs.get(i).cell().equals(saved.get(i).cell())) {
                found.add(new Mismatch(saved.get(i), theirs.get(i)));
            }
        }
        return List.copyOf(found);
    }

    /**
     * What each mismatch is, for a message that begins with the file:
     * {@code layer lstm1 was trained as a VariationalLSTM of 200 units (W 800×200, U 800×200, b 800),
     * this network's lstm1 is a VariationalGRU of 200 units}; several joined by "; ".
     *
     * @param mismatches at least one, from {@link #mismatches}
     * @param whose how the other side is called: {@code "this network's"}, {@code "this model's"}
     * @return the description
     */
    public static String describe(List<Mismatch> mismatches, String whose) {
        List<String> parts = new ArrayList<>();
        for (Mismatch m : mismatches) {
            parts.add("layer " + m.saved().name() + " was trained as " + m.saved().describe() + ", " + whose + " "
                    + m.network().name() + " is " + m.network().describe());
        }
        return String.join("; ", parts);
    }

    /**
     * The declaration the file needs: {@code @VariationalLSTM} for one mismatch,
     * {@code @VariationalLSTM on lstm1 and @VariationalGRU on lstm2} for several.
     *
     * @param mismatches at least one, from {@link #mismatches}
     * @return the annotations to declare
     */
    public static String declaration(List<Mismatch> mismatches) {
        if (mismatches.size() == 1) {
            return "@" + mismatches.get(0).saved().cell();
        }
        List<String> parts = new ArrayList<>();
        for (Mismatch m : mismatches) {
            parts.add("@" + m.saved().cell() + " on " + m.saved().name());
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }

    /** {@return e.g. {@code lstm1 VariationalLSTM 200, lstm2 VariationalGRU 200}} */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (Layer l : layers.values()) {
            parts.add(l.name() + " " + l.cell() + " " + l.units());
        }
        return String.join(", ", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecurrentCells other && layers().equals(other.layers());
    }

    @Override
    public int hashCode() {
        return layers().hashCode();
    }
}
