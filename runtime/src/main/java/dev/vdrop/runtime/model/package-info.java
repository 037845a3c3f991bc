/**
 * Model files: a trained network saved for prediction — its parameters, the generated class's
 * name, its sizes, and what prediction needs (the tokenization and its symbols or the features,
 * the class labels, a forecaster's scaling and window) — loaded, checked, into the generated class
 * in any JVM.
 *
 * <p>Call order: {@link dev.vdrop.runtime.model.ModelFile#save ModelFile.save(file, network, info)}
 * after training; {@link dev.vdrop.runtime.model.ModelFile#load ModelFile.load(file)}, build the
 * network with the file's {@link dev.vdrop.runtime.model.ModelFile#sizes() sizes()}, then
 * {@link dev.vdrop.runtime.model.ModelFile#restoreInto restoreInto(network)} to predict. A model file
 * is written in the {@linkplain dev.vdrop.runtime.checkpoint checkpoint format}; it is not a training
 * checkpoint and each is refused where the other is wanted by {@code ModelFile.load}. Examples that
 * compile and run: {@code dev.vdrop.checks.ExamplesTest} (the checks module's test sources).
 */
package dev.vdrop.runtime.model;
