package dev.vdrop.processor;

import java.util.List;

/**
 * A {@code @Model} class as declared: its shape and its layer-like fields in declaration order.
 *
 * @param packageName the package, empty for the unnamed package
 * @param simpleName the class's simple name
 * @param displayName the class's name as a user reads it ({@code Outer.Inner} for nested classes)
 * @param networkName the simple name of the class to generate
 * @param shape what kind of class carries {@code @Model}
 * @param fields the fields that are (or look like) layers, in declaration order
 */
record ModelDecl(
        String packageName,
        String simpleName,
        String displayName,
        String networkName,
        Shape shape,
        List<FieldDecl> fields) {

    ModelDecl {
        fields = List.copyOf(fields);
    }

    /**
     * What kind of type carries {@code @Model}.
     *
     * @param isClass false for interfaces, enums, records and annotation types
     * @param isAbstract whether it is declared abstract
     * @param isFinal whether it is declared final
     * @param isPrivate whether it is declared private
     * @param isInner whether it is a nested class that is not static (or a local class)
     */
    record Shape(
            boolean isClass, boolean isAbstract, boolean isFinal, boolean isPrivate, boolean isInner) {
        static Shape plainAbstractClass() {
            return new Shape(true, true, false, false, false);
        }
    }
}
