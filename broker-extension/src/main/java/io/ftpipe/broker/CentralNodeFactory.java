package io.ftpipe.broker;

import io.ftpipe.broker.configuration.ExtensionConfig;

/**
 * Creates the central node when the extension starts. The extension main only wires: it owns no
 * training logic, so the embedding code (or the drop-in default) decides what the node is.
 */
@FunctionalInterface
public interface CentralNodeFactory {

    /**
     * @param config    the validated configuration; {@code config.dataDir()} exists
     * @param publisher the way to publish to clients (device commands, stage inputs, job status)
     * @throws Exception when the node cannot start; the extension then refuses to start, with the
     *                   exception's message as the reason
     */
    CentralNode create(ExtensionConfig config, CentralPublisher publisher) throws Exception;

    /** The drop-in default until the real central node lands: log and count. */
    CentralNodeFactory LOGGING = (config, publisher) -> new LoggingCentralNode();
}
