package io.ftpipe.cli;

import io.ftpipe.zoo.model.ModelZoo;

import java.util.Iterator;

/** The model zoo's names, for help texts and shell completion. */
public final class ModelNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return ModelZoo.NAMES.iterator();
    }
}
