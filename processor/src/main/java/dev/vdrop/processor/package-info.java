/**
 * The vdrop annotation processor: read → validate → model → write.
 *
 * <p>{@link dev.vdrop.processor.VdropProcessor} is the thin front: it turns javax.lang.model
 * elements into vdrop's own immutable declaration ({@link dev.vdrop.processor.ModelDecl}) once.
 * {@link dev.vdrop.processor.ModelValidator} checks that declaration without javac, every problem
 * names a {@link dev.vdrop.processor.Site} (field, annotation, attribute) that the front maps back
 * to the annotation value so the compiler underlines it. The same pass that checks the order of
 * the layers resolves a declaration without errors into a {@link dev.vdrop.processor.NetworkSpec},
 * which {@link dev.vdrop.processor.NetworkWriter} turns into the generated source.
 */
package dev.vdrop.processor;
