package dev.vdrop.processor;

/** One finding of validation: how bad it is, what it says and where it points. */
record Problem(Severity severity, String message, Site site) {
    enum Severity { ERROR, WARNING }

    static Problem error(Site site, Message message, Object... args) {
        return new Problem(Severity.ERROR, message.format(args), site);
    }

    static Problem warning(Site site, Message message, Object... args) {
        return new Problem(Severity.WARNING, message.format(args), site);
    }

    boolean isError() {
        return severity == Severity.ERROR;
    }
}
