package dev.vdrop.processor;

import com.palantir.javapoet.TypeName;
import java.util.Optional;

/**
 * One buffer of the generated workspace, described once: the field that holds it, its shape, when
 * it is made and whether it is freed. {@link BufferCode} derives from these descriptions
 * everything the workspace does with its buffers — the field declarations with their javadoc, the
 * allocations in the constructor, in {@code allocateForward} and in {@code allocateBackward}, the
 * views into them, and {@code close()} — so a new buffer is one line in a table and cannot be
 * forgotten by one of them.
 *
 * <p>Shapes are written in the symbols of the workspace: H units of a layer, I its input width,
 * B sequences, T steps, TB = T·B columns (one per step and sequence, column t·B + b when every
 * sequence has T steps; a ragged pass uses the first N = Σ len of them, as its
 * {@code dev.vdrop.runtime.internal.Packing} lays them out).
 */
sealed interface Buffer extends ViewSource {
    /** The field's name before {@link Names} allocates it: {@code dz}, {@code x0}. */
    String base();

    /** The layer it belongs to, from 1, or 0 for the workspace's own. */
    int layer();

    /** What it holds, for the field's javadoc (the shape and lifetime are added to it). */
    String doc();

    /** The name the field asks for: the base, and the layer's number for a layer's buffer. */
    default String suggestedName() {
        return layer() == 0 ? base() : base() + layer();
    }

    Lifetime lifetime();

    TypeName type();

    /** When a buffer is made: each lifetime is one place of the workspace that allocates. */
    enum Lifetime {
        /** By the constructor, for as long as the workspace lives: a final field. */
        SEGMENT(""),
        /** By the first forward pass with targets (in {@code allocateForward}): only training needs it. */
        WITH_TARGETS("allocated by the first forward pass with targets"),
        /** By the first forward pass without targets (in {@code allocateForward}). */
        WITHOUT_TARGETS("allocated by the first forward pass without targets"),
        /** By the first {@code backward()} (in {@code allocateBackward}): prediction never pays for it. */
        BACKWARD("allocated by the first backward()"),
        /**
         * By the first pass over sequences of different lengths (in {@code allocateRagged}): a
         * workspace that only ever sees sequences of its T steps never pays for it.
         */
        RAGGED("allocated by the first ragged pass");

        final String made;

        Lifetime(String made) {
            this.made = made;
        }
    }

    /** Columns of a buffer: the code that computes them in the workspace, and how the javadoc writes them. */
    record Extent(String code, String doc) {
        /** TB: one column per step and sequence. */
        static final Extent STEPS = new Extent("columns", "TB");
        /** (T+1)B: block 0 is the state carried in, block t+1 step t. */
        static final Extent CARRIED_AND_STEPS = new Extent("columns + batch", "(T+1)B");
        /** B: one column per sequence. */
        static final Extent SEQUENCES = new Extent("batch", "B");
        /** chunkSteps·B: the steps of one chunk. */
        static final Extent CHUNK = new Extent("chunkSteps * batch", "(chunkSteps·B)");

        static Extent of(int columns) {
            return new Extent(Integer.toString(columns), Integer.toString(columns));
        }
    }

    /**
     * A matrix (or one per gate: {@code gates} of them, 4 for an LSTM's, 3 for a GRU's) the
     * workspace allocates with {@code Mat.zeros} and frees in {@code close()}.
     *
     * @param gates 0 for one matrix, else the number of gates that each get one
     */
    record Owned(String base, int layer, Dim rows, Extent cols, int gates, Lifetime lifetime, String doc)
            implements Buffer {
        Owned(String base, int layer, int rows, Extent cols, int gates, Lifetime lifetime, String doc) {
            this(base, layer, Dim.of(rows), cols, gates, lifetime, doc);
        }

        /** Whether it is one matrix per gate. */
        boolean perGate() {
            return gates > 0;
        }

        @Override
        public TypeName type() {
            return perGate() ? TypeNames.MAT_ARRAY : TypeNames.MAT;
        }

        String shape() {
            return rows + " × " + cols.doc() + (perGate() ? " each" : "");
        }
    }

    /**
     * Blocks of a buffer or of a parameter's value, sharing its memory: made right after it, never
     * freed on their own. {@code rows} is the rows of one block.
     */
    record View(String base, int layer, ViewSource source, Cut cut, int rows, String doc) implements Buffer {
        @Override
        public Lifetime lifetime() {
            return source instanceof Buffer b ? b.lifetime() : Lifetime.SEGMENT;
        }

        @Override
        public TypeName type() {
            if (cut == Cut.LEADING_ROWS) {
                return TypeNames.MAT;
            }
            return source.isArray() ? TypeNames.MAT_2D : TypeNames.MAT_ARRAY;
        }
    }

    /** How a view cuts its source. */
    enum Cut {
        /**
         * One block per step, as the pass's packing lays the columns out: {@code packing.steps(m)}
         * (B columns each when every sequence has T steps), {@code packing.states(m)} for a buffer of
         * (T+1)B columns, {@code packing.chunkSteps(m, chunkSteps)} for the chunk; per gate, [g][t].
         * Cut again for each pass whose layout differs from the last one's.
         */
        STEPS,
        /** One block per gate (i, f, g, o; r, u, n): {@code rowBlocks(H)}; of every step's block, [t][g]. */
        GATES,
        /** The first rows, over a chunk's columns: the part of a shared buffer one layer uses. */
        LEADING_ROWS
    }

    /**
     * A field that points at whichever buffer the last pass used (the masked copy, or the input
     * itself): never allocated or freed; {@code startsAt}, when present, is a buffer of
     * (T+1)B columns whose steps it points at until a pass says otherwise.
     */
    record Pointer(String base, int layer, Dim rows, Extent cols, Optional<Owned> startsAt, String doc)
            implements Buffer {
        Pointer(String base, int layer, int rows, Extent cols, Optional<Owned> startsAt, String doc) {
            this(base, layer, Dim.of(rows), cols, startsAt, doc);
        }

        @Override
        public Lifetime lifetime() {
            return Lifetime.SEGMENT;
        }

        @Override
        public TypeName type() {
            return TypeNames.MAT;
        }
    }

    /** An object the workspace creates with its field and frees in {@code close()}. */
    record Resource(String base, int layer, TypeName type, String doc) implements Buffer {
        @Override
        public Lifetime lifetime() {
            return Lifetime.SEGMENT;
        }
    }
}
