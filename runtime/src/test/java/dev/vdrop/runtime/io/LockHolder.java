package dev.vdrop.runtime.io;

import java.nio.file.Path;

/** A process that holds a directory's lock until its standard input closes (or it is killed). */
final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        try (DirectoryLock lock = DirectoryLock.acquire(Path.of(args[0]))) {
            System.out.println("locked " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock
            }
        }
    }
}
