package dev.vdrop.processor;

/**
 * Where a problem is: a field (or the class itself when {@code field} is null), one of its
 * annotations, and optionally one attribute of that annotation. The processor turns a site into
 * the element, annotation mirror and annotation value that javac underlines.
 */
record Site(String field, Kind kind, String attribute) {
    static Site ofModel() {
        return new Site(null, Kind.MODEL, null);
    }

    static Site ofModelAttribute(String attribute) {
        return new Site(null, Kind.MODEL, attribute);
    }

    static Site of(String field, Kind kind) {
        return new Site(field, kind, null);
    }

    static Site of(String field, Kind kind, String attribute) {
        return new Site(field, kind, attribute);
    }

    /** A field's declaration itself, when no single annotation is at fault. */
    static Site ofField(String field) {
        return new Site(field, null, null);
    }
}
