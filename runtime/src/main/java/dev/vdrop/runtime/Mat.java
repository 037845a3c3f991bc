package dev.vdrop.runtime;

import dev.vdrop.runtime.internal.Blas;
import dev.vdrop.runtime.internal.Parallel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Objects;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A column-major (Fortran-order) matrix view over an ND4J buffer: element (r, c) of a
 * rows × cols matrix lives at {@code offset + c·ld + r}. Views share the buffer of the matrix they
 * come from, so a column block of a segment's activations is a matrix of its own without a copy.
 *
 * <p>Elements are read and written from plain Java loops through JavaCPP indexers, which the JIT
 * compiles to direct memory access, and multiplied with {@link Blas#gemm}. A {@code Mat} is either
 * float32 or float64; the same code runs on both.
 */
public abstract sealed class Mat implements AutoCloseable permits Mat.F32, Mat.F64 {
    private final INDArray storage;
    private INDArray flat;
    private ByteBuffer bytes;
    private FloatBuffer floats;
    private DoubleBuffer doubles;
    final long offset;
    final int rows;
    final int cols;
    final int ld;

    private Mat(INDArray storage, long offset, int rows, int cols, int ld) {
        this.storage = storage;
        this.offset = offset;
        this.rows = rows;
        this.cols = cols;
        this.ld = ld;
    }

    /**
     * Frees the native memory of a matrix made by {@link #zeros} or {@link #copyOf} now, instead of
     * when the garbage collector gets to it; a view ({@link #columns}, {@link #rows}) frees nothing.
     * The matrix and its views must not be used afterwards.
     */
    @Override
    public void close() {
        if (offset == 0 && storage.closeable() && storage.length() == Math.max(1L, (long) rows * cols) && ld == Math.max(1, rows)) {
            storage.close();
        }
    }

    /**
     * A new matrix of zeros.
     *
     * @param type FLOAT or DOUBLE
     * @param rows the number of rows
     * @param cols the number of columns
     * @return a new {@code rows × cols} matrix of zeros, in native memory of its own
     */
    public static Mat zeros(DataType type, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("a matrix needs non-negative sizes, got " + rows + " × " + cols);
        }
        INDArray storage = Nd4j.zeros(type, Math.max(1L, (long) rows * cols));
        return of(storage, 0, rows, cols, Math.max(1, rows));
    }

    /**
     * A new matrix holding a copy of a 2-D array's values.
     *
     * @param matrix a 2-D FLOAT or DOUBLE array, in any order
     * @return a new column-major matrix of the same shape and values
     */
    public static Mat copyOf(INDArray matrix) {
        if (matrix.rank() != 2) {
            throw new IllegalArgumentException("expected a matrix, got shape " + java.util.Arrays.toString(matrix.shape()));
        }
        Mat m = zeros(matrix.dataType(), matrix.rows(), matrix.columns());
        for (int c = 0; c < m.cols; c++) {
            for (int r = 0; r < m.rows; r++) {
                m.set(r, c, matrix.getDouble(r, c));
            }
        }
        return m;
    }

    private static Mat of(INDArray storage, long offset, int rows, int cols, int ld) {
        DataType type = storage.dataType();
        if (type == DataType.FLOAT) {
            return new F32(storage, offset, rows, cols, ld);
        }
        if (type == DataType.DOUBLE) {
            return new F64(storage, offset, rows, cols, ld);
        }
        throw new IllegalArgumentException("vdrop computes in FLOAT or DOUBLE, not " + type);
    }

    /** {@return the number of rows} */
    public int rows() {
        return rows;
    }

    /** {@return the number of columns} */
    public int cols() {
        return cols;
    }

    /** {@return the data type, FLOAT or DOUBLE} */
    public abstract DataType dataType();

    /**
     * Reads one element.
     *
     * @param r the row, from 0
     * @param c the column, from 0
     * @return element (r, c)
     */
    public abstract double get(int r, int c);

    /**
     * Sets one element.
     *
     * @param r the row, from 0
     * @param c the column, from 0
     * @param value the new value (rounded to float32 in a FLOAT matrix)
     */
    public abstract void set(int r, int c, double value);

    /**
     * Sets the i-th element in column order of a {@link #isContiguous() contiguous} matrix.
     *
     * @param i the index in column order, {@code r + c · rows()}
     * @param value the new value
     */
    public abstract void setLinear(long i, double value);

    /**
     * Reads the i-th element in column order of a {@link #isContiguous() contiguous} matrix.
     *
     * @param i the index in column order, {@code r + c · rows()}
     * @return that element
     */
    public abstract double getLinear(long i);

    /**
     * Adds to one element.
     *
     * @param r the row, from 0
     * @param c the column, from 0
     * @param value what to add to element (r, c)
     */
    public final void add(int r, int c, double value) {
        set(r, c, get(r, c) + value);
    }

    /**
     * A view of consecutive columns.
     *
     * @param from the first column, from 0
     * @param count the number of columns
     * @return the {@code count} columns from {@code from} on, sharing this matrix's memory
     */
    public Mat columns(int from, int count) {
        Objects.checkFromIndexSize(from, count, cols);
        return of(storage, offset + (long) from * ld, rows, count, ld);
    }

    /**
     * A view of consecutive rows (a strided view: not {@link #isContiguous() contiguous}).
     *
     * @param from the first row, from 0
     * @param count the number of rows
     * @return the {@code count} rows from {@code from} on, sharing this matrix's memory
     */
    public Mat rows(int from, int count) {
        Objects.checkFromIndexSize(from, count, rows);
        return of(storage, offset + from, count, cols, ld);
    }

    /**
     * The first {@code rows · cols} elements of a contiguous matrix as a contiguous
     * {@code rows × cols} matrix, sharing its memory (a buffer reused for several shapes).
     *
     * @param rows the rows of the view
     * @param cols the columns of the view
     * @return the view
     * @throws IllegalArgumentException when the matrix is not contiguous or has fewer elements
     */
    public Mat prefix(int rows, int cols) {
        if (!isContiguous() || rows < 0 || cols < 0 || (long) rows * cols > (long) this.rows * this.cols) {
            throw new IllegalArgumentException("no " + rows + " × " + cols + " prefix in " + shape()
                    + (isContiguous() ? "" : " (not contiguous)"));
        }
        return of(storage, offset, rows, cols, Math.max(1, rows));
    }

    /**
     * Consecutive blocks of {@code width} columns, as views made once: block t of a segment's
     * activations is step t, so loops over steps allocate nothing.
     *
     * @param width the columns per block; must divide {@link #cols()}
     * @return the blocks, left to right
     * @throws IllegalArgumentException when {@code width} does not divide the columns
     */
    public Mat[] columnBlocks(int width) {
        if (width <= 0 || cols % width != 0) {
            throw new IllegalArgumentException(cols + " columns do not split into blocks of " + width);
        }
        Mat[] blocks = new Mat[cols / width];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = columns(i * width, width);
        }
        return blocks;
    }

    /**
     * Consecutive blocks of rows, as views: the gate blocks i, f, g, o of a 4H-row matrix.
     *
     * @param height the rows per block; must divide {@link #rows()}
     * @return the blocks, top to bottom
     * @throws IllegalArgumentException when {@code height} does not divide the rows
     */
    public Mat[] rowBlocks(int height) {
        if (height <= 0 || rows % height != 0) {
            throw new IllegalArgumentException(rows + " rows do not split into blocks of " + height);
        }
        Mat[] blocks = new Mat[rows / height];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = rows(i * height, height);
        }
        return blocks;
    }

    /** {@return whether the elements are one run of memory (a whole matrix or a block of whole columns)} */
    public boolean isContiguous() {
        return ld == rows || cols <= 1;
    }

    /**
     * The elements, column by column, as a 1-D INDArray sharing this matrix's memory, for native
     * element-wise ops and reductions on large matrices (one call instead of a Java loop).
     *
     * @return the 1-D view, made once
     * @throws IllegalStateException for a strided view (a block of rows)
     */
    public INDArray flat() {
        if (flat == null) {
            if (!isContiguous()) {
                throw new IllegalStateException("a block of rows is not contiguous; " + shape() + " with leading dimension " + ld);
            }
            long n = (long) rows * cols;
            flat = n == 0 ? Nd4j.create(dataType(), 0)
                    : storage.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset, offset + n));
        }
        return flat;
    }

    /** {@return the matrix as an f-order {@code [rows, cols]} INDArray sharing its memory (contiguous matrices only)} */
    public INDArray matrix() {
        return flat().reshape('f', rows, cols);
    }

    /**
     * Multiplies every element by a factor.
     *
     * @param factor the factor
     */
    public void scale(double factor) {
        if (isContiguous() && (long) rows * cols <= Integer.MAX_VALUE) {
            Blas.scale(this, factor);
            return;
        }
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                set(r, c, get(r, c) * factor);
            }
        }
    }

    /** Sets every element to zero. */
    public void zero() {
        fill(0);
    }

    /** Sets column {@code c} to zero: a bulk copy from an array of zeros where the buffer allows. */
    void zeroColumn(int c) {
        boolean isFloat = dataType() == DataType.FLOAT;
        if (isFloat ? floats() == null : doubles() == null) {
            for (int r = 0; r < rows; r++) {
                set(r, c, 0);
            }
            return;
        }
        for (int r = 0; r < rows; r += ZEROS.length) {
            int count = Math.min(ZEROS.length, rows - r);
            if (isFloat) {
                floats().put(index(r, c), FLOAT_ZEROS, 0, count);
            } else {
                doubles().put(index(r, c), ZEROS, 0, count);
            }
        }
    }

    /** Matrices from this many elements on are filled by one native ND4J call. */
    private static final long NATIVE_FILL_FROM = 1 << 16;
    private static final double[] ZEROS = new double[1024];
    private static final float[] FLOAT_ZEROS = new float[ZEROS.length];

    /**
     * Sets every element to one value.
     *
     * @param value the value
     */
    public void fill(double value) {
        if (value == 0 && (long) rows * cols < NATIVE_FILL_FROM) {
            // a step's small buffers: bulk copies of zeros, no native call (which parks the team)
            for (int c = 0; c < cols; c++) {
                zeroColumn(c);
            }
            return;
        }
        if (isContiguous()) {
            Parallel.runNative(() -> flat().assign(value));
            return;
        }
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                set(r, c, value);
            }
        }
    }

    /**
     * Copies another matrix of the same shape into this one.
     *
     * @param source the matrix to copy, of this matrix's shape
     * @throws IllegalArgumentException when the shapes differ
     */
    public void copyFrom(Mat source) {
        checkSameShape(source);
        if (isContiguous() && source.isContiguous() && source.dataType() == dataType()) {
            Parallel.runNative(() -> flat().assign(source.flat()));
            return;
        }
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                set(r, c, source.get(r, c));
            }
        }
    }

    /** {@return a new c-order {@code [rows, cols]} INDArray with a copy of the values} */
    public INDArray toINDArray() {
        INDArray out = Nd4j.create(dataType(), rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out.putScalar(r, c, get(r, c));
            }
        }
        return out;
    }

    /** {@return the matrix as an f-order INDArray sharing its memory, when it is not a strided view} */
    public INDArray asINDArray() {
        if (offset != 0 || (ld != rows && cols > 1)) {
            throw new IllegalStateException("only a whole matrix is shared as an INDArray; use toINDArray()");
        }
        return storage.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, (long) rows * cols))
                .reshape('f', rows, cols);
    }

    /**
     * Throws when {@code other} has another shape.
     *
     * @param other the matrix to compare with
     * @throws IllegalArgumentException naming both shapes when they differ
     */
    public void checkSameShape(Mat other) {
        if (other.rows != rows || other.cols != cols) {
            throw new IllegalArgumentException("shapes differ: " + shape() + " and " + other.shape());
        }
    }

    /** {@return the shape as text, {@code rows × cols}, for messages} */
    public String shape() {
        return rows + " × " + cols;
    }

    // ---------------------------------------------------------------------------------------------
    // The layout, for kernels and native code: element (r, c) lives at offset() + c·leadingDimension() + r
    // of the native buffer the matrix shares with its views.

    /** {@return the element index of (0, 0) in the native buffer} */
    public long offset() {
        return offset;
    }

    /** {@return the distance in elements between two columns: at least {@code rows()}, more for a row block's view} */
    public int leadingDimension() {
        return ld;
    }

    /** {@return a native pointer at element (0, 0), for BLAS} */
    public abstract Pointer pointer();

    /** {@return the bytes per element: 4 or 8} */
    public abstract int elementBytes();

    /**
     * The whole native buffer this matrix lives in, as a direct byte buffer in native byte order
     * (made once per matrix), or null when it is too large for int indices. For the vector kernels.
     *
     * @return the buffer, or null
     */
    public ByteBuffer bytes() {
        if (bytes == null && storage.data().length() * elementBytes() <= Integer.MAX_VALUE) {
            bytes = storage.data().asNio().order(ByteOrder.nativeOrder());
        }
        return bytes;
    }

    /** {@return {@link #bytes()} as floats (float32 matrices): element (r, c) at {@link #index}; bulk copies are memcpy} */
    public FloatBuffer floats() {
        if (floats == null && bytes() != null) {
            floats = bytes().asFloatBuffer();
        }
        return floats;
    }

    /** {@return {@link #bytes()} as doubles (float64 matrices)} */
    public DoubleBuffer doubles() {
        if (doubles == null && bytes() != null) {
            doubles = bytes().asDoubleBuffer();
        }
        return doubles;
    }

    /**
     * Where an element is in the native buffer.
     *
     * @param r the row, from 0
     * @param c the column, from 0
     * @return the element index of (r, c) in {@link #floats()} or {@link #doubles()}
     */
    public final int index(int r, int c) {
        return (int) (offset + (long) c * ld + r);
    }

    @Override
    public String toString() {
        return "Mat[" + shape() + ", " + dataType() + "]";
    }

    static final class F32 extends Mat {
        private final FloatIndexer data;
        private final FloatPointer pointer;

        private F32(INDArray storage, long offset, int rows, int cols, int ld) {
            super(storage, offset, rows, cols, ld);
            this.data = (FloatIndexer) storage.data().indexer();
            this.pointer = new FloatPointer(storage.data().addressPointer());
            this.pointer.position(offset);
        }

        @Override
        public DataType dataType() {
            return DataType.FLOAT;
        }

        @Override
        public int elementBytes() {
            return Float.BYTES;
        }

        @Override
        public double get(int r, int c) {
            return widen(data.get(offset + (long) c * ld + r));
        }

        @Override
        public void set(int r, int c, double value) {
            data.put(offset + (long) c * ld + r, (float) value);
        }

        @Override
        public void setLinear(long i, double value) {
            data.put(offset + i, (float) value);
        }

        @Override
        public double getLinear(long i) {
            return widen(data.get(offset + i));
        }

        /**
         * float → double for a value just loaded. Written {@code (double) v}, C2 (JDK 17) folds the
         * load into {@code vcvtss2sd}, which merges into its destination register and so waits for
         * whatever last wrote it, often the previous element's exp: the loop then runs one element
         * at a time. A float addition first breaks that false dependency and makes element loops up
         * to 3× faster. Adding −0 is exact for every float (−0 stays −0), and the JIT keeps it.
         */
        private static double widen(float v) {
            return v + -0f;
        }

        @Override
        public Pointer pointer() {
            return pointer;
        }
    }

    static final class F64 extends Mat {
        private final DoubleIndexer data;
        private final DoublePointer pointer;

        private F64(INDArray storage, long offset, int rows, int cols, int ld) {
            super(storage, offset, rows, cols, ld);
            this.data = (DoubleIndexer) storage.data().indexer();
            this.pointer = new DoublePointer(storage.data().addressPointer());
            this.pointer.position(offset);
        }

        @Override
        public DataType dataType() {
            return DataType.DOUBLE;
        }

        @Override
        public int elementBytes() {
            return Double.BYTES;
        }

        @Override
        public double get(int r, int c) {
            return data.get(offset + (long) c * ld + r);
        }

        @Override
        public void set(int r, int c, double value) {
            data.put(offset + (long) c * ld + r, value);
        }

        @Override
        public void setLinear(long i, double value) {
            data.put(offset + i, value);
        }

        @Override
        public double getLinear(long i) {
            return data.get(offset + i);
        }

        @Override
        public Pointer pointer() {
            return pointer;
        }
    }
}
