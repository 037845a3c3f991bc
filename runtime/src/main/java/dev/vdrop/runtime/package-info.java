/**
 * What vdrop's generated networks call, on ND4J: column-major matrix views over ND4J buffers
 * ({@link dev.vdrop.runtime.Mat}), GEMM straight into OpenBLAS ({@link dev.vdrop.runtime.Blas}),
 * a seeded random source ({@link dev.vdrop.runtime.Rng}), parameters and their initialisation,
 * and a Keras-like {@link dev.vdrop.runtime.Summary}.
 *
 * <p>Layout. Every activation matrix is feature-major: one column per (step, sequence), with the
 * sequence index fastest, so column {@code t·B + b} is step t of sequence b and the B columns of
 * one step are contiguous. The input term of an LSTM over a whole segment is then one GEMM,
 * {@code Z[4H × TB] = W[4H × I] · X[I × TB]}, and a step's recurrent GEMM writes into a
 * contiguous column block of Z.
 */
package dev.vdrop.runtime;
