package io.ftpipe.zoo.importer;

/**
 * How to import.
 *
 * @param reinitialize start from weights drawn from the job's seed, as the zoo's layers do,
 *                     instead of the file's initializers (BatchNorm starts at scale 1, shift 0)
 */
public record ImportOptions(boolean reinitialize) {

    public static ImportOptions defaults() {
        return new ImportOptions(false);
    }
}
