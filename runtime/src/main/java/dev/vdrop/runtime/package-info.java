/**
 * vdrop's runtime API: a generated {@link dev.vdrop.runtime.Network} with its
 * {@link dev.vdrop.runtime.Parameter parameters}, its {@link dev.vdrop.runtime.ModelSizes sizes}
 * from the data and a workspace per segment shape, the
 * {@link dev.vdrop.runtime.NetworkConfig configuration} it is built with, the seeded
 * {@link dev.vdrop.runtime.Rng random source}, {@link dev.vdrop.runtime.Gradients} for a training
 * step, and the column-major matrix views ({@link dev.vdrop.runtime.Mat}) the network's buffers are
 * made of. Training, evaluation, MC prediction, checkpoints and data live in the subpackages
 * {@code train}, {@code eval}, {@code mc}, {@code checkpoint}, {@code text}, {@code series} and
 * {@code forecast} (scaled multi-step windows, backtest origins and per-step scores);
 * {@code internal} is what generated code calls, and is not API.
 *
 * <p>Layout. Every activation matrix is feature-major: one column per (step, sequence), with the
 * sequence index fastest, so column {@code t·B + b} is step t of sequence b and the B columns of
 * one step are contiguous. The input term of an LSTM over a whole segment is then one GEMM,
 * {@code Z[4H × TB] = W[4H × I] · X[I × TB]}, and a step's recurrent GEMM writes into a
 * contiguous column block of Z.
 */
package dev.vdrop.runtime;
