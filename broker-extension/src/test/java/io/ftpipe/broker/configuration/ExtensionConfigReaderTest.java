package io.ftpipe.broker.configuration;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtensionConfigReaderTest {

    /** config/ next to the module, as the build sees it. */
    private static final Path SHIPPED = Path.of("..", "config", ExtensionConfigReader.FILE_NAME);

    private final ExtensionConfigReader reader = new ExtensionConfigReader();

    @TempDir
    Path dir;

    @Test
    void shippedFileListsEveryKeyWithTheDefaults() throws Exception {
        List<String> keys = new ArrayList<>();
        new ObjectMapper().readTree(SHIPPED.toFile()).fieldNames().forEachRemaining(keys::add);
        assertEquals(ExtensionConfigReader.keys(), keys);

        Path home = SHIPPED.toAbsolutePath().getParent();
        // The DTLS endpoint and the dashboard are off unless a file sets their ports; the shipped one does.
        assertEquals(ExtensionConfig.defaults(home).withDataDir(home.resolve("data").normalize())
                .withCoaps(5684, "127.0.0.1").withHttp(8780, "127.0.0.1"), reader.read(SHIPPED));
    }

    @Test
    void missingKeysTakeDefaultsAndRelativePathsResolveAgainstTheFilesFolder() throws Exception {
        Path file = write("{\"dataDir\": \"state/central\", \"threads\": 4}");
        ExtensionConfig config = reader.read(file);
        assertEquals(dir.resolve("state/central"), config.dataDir());
        assertEquals(4, config.threads());
        assertEquals(ExtensionConfig.DEFAULT_DATASET_DIR, config.datasetDir());
        assertEquals(5000, config.heartbeatTimeoutMillis());
        assertEquals(30000, config.backwardTimeoutMillis());
        assertEquals(64 * 1024 * 1024, config.maxPayloadBytes());
        assertEquals(500, config.evalBatchSize());
        assertEquals(5683, config.coapPort());
        assertEquals("127.0.0.1", config.coapBind());
    }

    @Test
    void coapCanBeMovedOrTurnedOff() throws Exception {
        ExtensionConfig config = reader.read(write("{\"coapPort\": 0, \"coapBind\": \"0.0.0.0\"}"));
        assertEquals(0, config.coapPort());
        assertEquals("0.0.0.0", config.coapBind());
    }

    @Test
    void theDtlsEndpointAndTheDashboardAreOffUnlessAPortIsSet() throws Exception {
        ExtensionConfig absent = reader.read(write("{}"));
        assertEquals(0, absent.coapsPort());
        assertEquals(0, absent.httpPort());
        ExtensionConfig set = reader.read(write("{\"coapsPort\": 5684, \"coapsBind\": \"0.0.0.0\", "
                + "\"httpPort\": 8780, \"httpBind\": \"::1\"}"));
        assertEquals(5684, set.coapsPort());
        assertEquals("0.0.0.0", set.coapsBind());
        assertEquals(8780, set.httpPort());
        assertEquals("::1", set.httpBind());
    }

    @Test
    void modelsAndDataSetsForTheManagementApiAreBesideTheStateUnlessSet() throws Exception {
        assertEquals(new UserFiles(dir.toAbsolutePath().resolve("models"), dir.toAbsolutePath().resolve("datasets")),
                reader.read(write("{}")).userFiles());
        ExtensionConfig set = reader.read(write("{\"modelsDir\": \"/srv/models\", \"datasetsDir\": \"shared/data\"}"));
        assertEquals(new UserFiles(Path.of("/srv/models"), dir.resolve("shared/data")), set.userFiles());
    }

    @Test
    void absolutePathsAreKept() throws Exception {
        ExtensionConfig config = reader.read(write("{\"datasetDir\": \"/srv/fmnist\"}"));
        assertEquals(Path.of("/srv/fmnist"), config.datasetDir());
    }

    @Test
    void emptyObjectIsAllDefaults() throws Exception {
        assertEquals(ExtensionConfig.defaults(dir), reader.read(write("{}")));
    }

    @Test
    void dropInWithoutFileRunsOnDefaultsInItsHome() throws Exception {
        ExtensionConfig config = reader.readFromHome(dir);
        assertEquals(dir.toAbsolutePath().resolve("data"), config.dataDir());
    }

    @Test
    void dropInWithFileReadsIt() throws Exception {
        write("{\"threads\": 3}");
        assertEquals(3, reader.readFromHome(dir).threads());
    }

    @Test
    void namedFileMustExist() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> reader.read(dir.resolve("nope.json")));
        assertTrue(e.getMessage().contains("nope.json"), e.getMessage());
    }

    @Test
    void unknownKeyIsNamed() throws Exception {
        Path file = write("{\"heartbeatTimeoutMilis\": 5000}");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> reader.read(file));
        assertTrue(e.getMessage().contains("unknown key 'heartbeatTimeoutMilis'"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("heartbeatTimeoutMillis"), "lists the known keys: " + e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"heartbeatTimeoutMillis\": \"5000\"}          | heartbeatTimeoutMillis must be an integer",
            "{\"heartbeatTimeoutMillis\": 1.5}               | heartbeatTimeoutMillis must be an integer",
            "{\"heartbeatTimeoutMillis\": 10}                | heartbeatTimeoutMillis must be between",
            "{\"backwardTimeoutMillis\": 0}                  | backwardTimeoutMillis must be between",
            "{\"threads\": 0}                                | threads must be between 1 and",
            "{\"threads\": -2}                               | threads must be between 1 and",
            "{\"threads\": null}                             | threads must be an integer",
            "{\"evalBatchSize\": 0}                          | evalBatchSize must be between",
            "{\"maxPayloadBytes\": 268435456}                | maxPayloadBytes must be between",
            "{\"maxPayloadBytes\": 99999999999}              | maxPayloadBytes is out of range",
            "{\"dataDir\": \"\"}                             | dataDir must be a non-empty path string",
            "{\"dataDir\": 5}                                | dataDir must be a non-empty path string",
            "{\"datasetDir\": [\"a\"]}                       | datasetDir must be a non-empty path string",
            "{\"coapPort\": 65536}                          | coapPort must be between 0 and 65535",
            "{\"coapPort\": -1}                             | coapPort must be between 0 and 65535",
            "{\"httpPort\": 70000}                          | httpPort must be between 0 and 65535",
            "{\"coapsBind\": \" \"}                         | coapsBind must be an address or host name",
            "{\"coapPort\": \"5683\"}                       | coapPort must be an integer",
            "{\"coapBind\": 127}                            | coapBind must be a string",
            "{\"coapBind\": \"\"}                           | coapBind must be an address or host name",
            "{\"coapBind\": \" 10.0.0.1\"}                  | coapBind must be an address or host name",
            "[1, 2]                                          | must hold a JSON object",
            "{\"threads\": 2, \"threads\": 3}                | not valid JSON",
            "{\"threads\": 2,                                | not valid JSON",
    })
    void badValuesAreNamed(String json, String expected) throws Exception {
        Path file = write(json);
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> reader.read(file));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should contain '" + expected + "'");
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
    }

    @Test
    void recordChecksProgrammaticConfigsToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExtensionConfig.defaults(dir).withHeartbeatTimeoutMillis(0));
        assertTrue(e.getMessage().startsWith("heartbeatTimeoutMillis"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExtensionConfig.defaults(dir).withDataDir(Path.of("rel")));
    }

    private Path write(String json) throws Exception {
        return Files.writeString(dir.resolve(ExtensionConfigReader.FILE_NAME), json);
    }
}
