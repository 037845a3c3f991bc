/**
 * Writing results without losing them: every file through a temporary and an atomic rename
 * ({@link dev.vdrop.runtime.io.AtomicFiles}), one run at a time per directory
 * ({@link dev.vdrop.runtime.io.DirectoryLock}), output locations checked before any work
 * ({@link dev.vdrop.runtime.io.OutputCheck}), and JSON without the strings {@code "NaN"} or
 * {@code "Infinity"} ({@link dev.vdrop.runtime.io.NonFiniteAsNull}).
 *
 * <p>The trainers and the samples' command line use this package for their checkpoints, metrics and
 * reports; write your own results through it too. Call order of one run:
 * <ol>
 *   <li>{@link dev.vdrop.runtime.io.OutputCheck#directory} or {@link dev.vdrop.runtime.io.OutputCheck#file}
 *       on every place the run will write, before any work: a mistake costs nothing yet;</li>
 *   <li>{@link dev.vdrop.runtime.io.DirectoryLock#acquire} on each output directory, which also removes
 *       the temporaries a killed run left there;</li>
 *   <li>the work, writing each result with {@link dev.vdrop.runtime.io.AtomicFiles};</li>
 *   <li>{@link dev.vdrop.runtime.io.DirectoryLock#close} (try-with-resources).</li>
 * </ol>
 *
 * <p>Temporaries are named {@code .NAME.<hex>.tmp} beside their target, as the checkpoint writer names
 * its own, so that one rule finds every temporary a killed run left behind.
 */
package dev.vdrop.runtime.io;
