/**
 * <b>Not API.</b> What generated networks call and nothing else should: GEMM into OpenBLAS
 * ({@link dev.vdrop.runtime.internal.Blas}), the LSTM cell and softmax kernels (SIMD through
 * {@code jdk.incubator.vector}, or plain Java), the recurrent step products, mask sampling, input
 * checks and the thread team that splits large products over the cores.
 *
 * <p>The types here are public only because generated code lives in the user's own packages. They
 * may change or disappear in any release, without notice or deprecation, as the generated code
 * that calls them changes with them; code outside vdrop must not use them (in the way of
 * {@code dagger.internal}). What a user calls is in {@link dev.vdrop.runtime} and its other
 * subpackages; {@link dev.vdrop.runtime.VectorSupport} says which kernels run. How the kernels
 * work, and what was measured while building them, is in the repository's docs/kernels.md.
 */
package dev.vdrop.runtime.internal;
