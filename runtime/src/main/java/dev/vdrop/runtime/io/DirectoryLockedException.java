package dev.vdrop.runtime.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Another run holds a directory's {@link DirectoryLock}; the message names its process id. */
public final class DirectoryLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    private final long holder;

    DirectoryLockedException(Path directory, long holder, boolean thisProcess) {
        super(directory + " is in use by another vdrop run ("
                + (holder > 0 ? "process " + holder : "process id not yet written")
                + (thisProcess ? ", this very process" : "")
                + "); wait for it to finish, or use another directory");
        this.directory = directory;
        this.holder = holder;
    }

    /** {@return the locked directory} */
    public Path directory() {
        return directory;
    }

    /** {@return the process id of the run holding the lock, when it had written it} */
    public OptionalLong holder() {
        return holder > 0 ? OptionalLong.of(holder) : OptionalLong.empty();
    }
}
