/**
 * Checkpoints: a model on disk — its parameters, its optimiser's state and the best parameters so
 * far as named groups of tensors, with the vocabulary and free-form metadata (the model class, the
 * network and training configuration, the epoch, the RNG state, the learning rate, …) — written
 * atomically and checked when read.
 *
 * <p>Call order. Saving: {@link dev.vdrop.runtime.checkpoint.Checkpoints#snapshot snapshot} the
 * parameters you keep (the best so far), build a {@link dev.vdrop.runtime.checkpoint.Checkpoint},
 * {@link dev.vdrop.runtime.checkpoint.Checkpoints#save save} it. Resuming:
 * {@link dev.vdrop.runtime.checkpoint.Checkpoints#load load}, read the configuration back with
 * {@link dev.vdrop.runtime.checkpoint.Checkpoint#require require}, build the same model, then
 * {@link dev.vdrop.runtime.checkpoint.Checkpoints#checkCells check its cells} (when the checkpoint
 * recorded them with {@link dev.vdrop.runtime.checkpoint.RecurrentCells}: an LSTM's checkpoint is
 * refused by a GRU model naming both cells) and
 * {@link dev.vdrop.runtime.checkpoint.Checkpoints#restore restore} its parameters and hand the
 * "optimizer" group to the optimiser. Every failure is a
 * {@link dev.vdrop.runtime.checkpoint.CheckpointException} that says what is wrong and what to do.
 *
 * <p>File format, version 1 (all numbers big-endian):
 * <pre>
 *   offset  size  field
 *        0     8  magic, the ASCII bytes "VDROPCKP"
 *        8     4  format version (int32), 1
 *       12     8  total length of the file in bytes (int64), trailer included
 *       20     4  header length H (int32)
 *       24     H  header: UTF-8 JSON, see below
 *     24+H     D  tensor data: each tensor's elements in column-major order (row index fastest),
 *                 float32 or float64 as the tensor's data type, one tensor after another in
 *                 header order, no padding
 *   24+H+D     4  CRC-32 (java.util.zip.CRC32) of every byte before it
 *   28+H+D     8  total length again (int64)
 * </pre>
 * The header is
 * <pre>
 *   {"metadata": {"model": "…", "epoch": "3", …},          (strings, in insertion order)
 *    "vocabulary": ["&lt;unk&gt;", "the", …],
 *    "tensors": {"parameters": [{"name": "lstm1.W", "dtype": "FLOAT", "rows": 800, "cols": 200,
 *                                "offset": 0}, …],           (offset: bytes from the data start)
 *                "optimizer": […], …}}
 * </pre>
 * The total length at the start tells a reader how long a truncated file should have been; the
 * one at the end says the file is complete; the checksum says no byte changed. A file is first
 * written to a temporary file next to it, forced to disk, and then moved over the old checkpoint,
 * so a crash leaves either the old checkpoint or the new one. The same checkpoint always gives the
 * same bytes (no timestamps).
 */
package dev.vdrop.runtime.checkpoint;
