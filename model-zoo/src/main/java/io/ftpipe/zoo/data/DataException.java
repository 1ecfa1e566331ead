package io.ftpipe.zoo.data;

import java.nio.file.Path;

/**
 * A dataset that cannot be used as it is. Unchecked because there is nothing a caller can do but
 * report it, so the message always says which file, what is wrong and how to fix it.
 */
public class DataException extends RuntimeException {

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Keeps every message in the same "path: problem; fix" shape. */
    static DataException at(Path path, String problem, String fix) {
        return new DataException(path + ": " + problem + "; " + fix);
    }

    static DataException at(Path path, String problem, String fix, Throwable cause) {
        return new DataException(path + ": " + problem + "; " + fix, cause);
    }
}
