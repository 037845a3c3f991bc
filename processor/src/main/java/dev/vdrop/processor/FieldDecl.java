package dev.vdrop.processor;

import java.util.List;
import java.util.Optional;

/**
 * A field of a {@code @Model} class that is a layer or looks like one: it has a vdrop annotation
 * or the type {@code Layer}.
 *
 * @param name the field's name
 * @param typeName the field's declared type as written, for messages
 * @param layerTyped whether the type is {@code dev.vdrop.dsl.Layer}
 * @param decls the vdrop annotations on it, in source order
 */
record FieldDecl(String name, String typeName, boolean layerTyped, List<Decl> decls) {
    FieldDecl {
        decls = List.copyOf(decls);
    }

    /** The layer annotations (not the dropout modifiers), in source order. */
    List<Decl> layerDecls() {
        return decls.stream().filter(d -> d.kind().isLayer()).toList();
    }

    /** The first layer annotation, which decides what this field is. */
    Optional<Decl> layer() {
        return layerDecls().stream().findFirst();
    }

    <T extends Decl> Optional<T> find(Class<T> type) {
        return decls.stream().filter(type::isInstance).map(type::cast).findFirst();
    }
}
