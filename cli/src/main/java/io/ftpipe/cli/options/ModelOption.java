package io.ftpipe.cli.options;

import io.ftpipe.cli.ModelNames;
import picocli.CommandLine.Option;

/** {@code --model}: which model of the zoo; each command chooses its default. */
public final class ModelOption {
    @Option(names = "--model", completionCandidates = ModelNames.class,
            description = "Model: ${COMPLETION-CANDIDATES}, or an .onnx file exported by PyTorch to import "
                    + "(default: ${DEFAULT-VALUE}).")
    private String model;

    public ModelOption(String defaultModel) {
        this.model = defaultModel;
    }

    public String name() {
        return model;
    }
}
