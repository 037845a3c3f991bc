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
 *
 * <p>Writing: {@link dev.vdrop.processor.WorkspaceBuffers} and {@link dev.vdrop.processor.RecurrentLayer}
 * describe every buffer of the generated workspace once ({@link dev.vdrop.processor.Buffer}), and
 * {@link dev.vdrop.processor.BufferCode} derives their fields, allocations and frees from that.
 * {@link dev.vdrop.processor.Names} names every field, parameter field and local, so no layer name
 * can collide with the generated code's. The code itself comes from
 * {@link dev.vdrop.processor.WorkspaceWriter} with {@link dev.vdrop.processor.InputCode},
 * {@link dev.vdrop.processor.RecurrentForward}, {@link dev.vdrop.processor.RecurrentBackward},
 * {@link dev.vdrop.processor.RecurrentMasks} and {@link dev.vdrop.processor.HeadCode}.
 */
package dev.vdrop.processor;
