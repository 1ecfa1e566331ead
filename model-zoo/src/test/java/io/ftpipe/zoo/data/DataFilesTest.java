package io.ftpipe.zoo.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A user's CSV data fitted to a model, and every way such a file can be wrong, each in one message. */
class DataFilesTest {
    private static final long[] INPUT = {1, 2, 2};

    @TempDir
    Path dir;

    private Path csv(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String rows(int n) {
        StringBuilder b = new StringBuilder("a,b,label,c,d\n");
        for (int i = 0; i < n; i++) {
            b.append(i).append(',').append(i + 1).append(',').append(i % 3).append(',').append(i + 2).append(',')
                    .append(i + 3).append('\n');
        }
        return b.toString();
    }

    private void assertFails(Path path, String expected) {
        String message = failure(path);
        assertTrue(message.contains(expected), message);
    }

    private String failure(Path path) {
        return assertThrows(DataException.class, () -> DataFiles.load(path, INPUT, 3, NormalizationChoice.AUTO, 1))
                .getMessage();
    }

    @Test
    void aFolderOfTrainAndTestCsvIsReshapedToTheModelAndNormalisedFromTheTrainingSet() throws Exception {
        csv("train.csv", rows(10));
        csv("test.csv", rows(4));
        DataFiles.Loaded d = DataFiles.load(dir, INPUT, 3, NormalizationChoice.AUTO, 1);
        assertEquals(10, d.train().size());
        assertEquals(4, d.test().size());
        assertArrayEquals(INPUT, d.train().sampleShape());
        assertEquals(3, d.train().classes());
        double mean = 0;
        for (float v : d.train().features()) {
            mean += v;
        }
        assertEquals(0, mean / d.train().features().length, 1e-5, "training features centred");
        assertEquals(d.normalization().mean()[0], (4.5 + 5.5 + 6.5 + 7.5) / 4, 1e-5);
    }

    @Test
    void aSingleCsvHoldsOutAFifthForTesting() throws Exception {
        DataFiles.Loaded d = DataFiles.load(csv("all.csv", rows(20)), INPUT, 3,
                NormalizationChoice.parse("none"), 7);
        assertEquals(16, d.train().size());
        assertEquals(4, d.test().size());
        assertEquals(1f, d.train().features()[1] - d.train().features()[0], "not normalised");
    }

    @Test
    void aGivenNormalisationIsApplied() throws Exception {
        DataFiles.Loaded d = DataFiles.load(csv("all.csv", rows(20)), INPUT, 3, NormalizationChoice.parse("1,2"), 7);
        assertEquals(0.5f, d.train().features()[1] - d.train().features()[0]);
    }

    @Test
    void badFilesAreNamedWithWhatIsWrong() throws Exception {
        assertFails(csv("nan.csv", rows(10).replace("\n3,4,0,5,6\n", "\n3,nan,0,5,6\n")), "nan.csv:5: column 'b' is NaN");
        assertFails(csv("short.csv", rows(10) + "1,2,0\n"), "short.csv:12: 3 values, the header has 5");
        assertFails(csv("nolabel.csv", "a,b\n1,2\n"), "has no 'label' column");
        assertFails(csv("text.csv", rows(10).replace("\n3,4,0,", "\n3,x,0,")), "holds 'x', not a number");
        assertFails(csv("label.csv", rows(10).replace("\n3,4,0,", "\n3,4,cat,")), "label 'cat'");
        assertFails(csv("classes.csv", rows(10).replace("\n3,4,0,", "\n3,4,7,")), "label 7 (sample");
        assertFails(csv("empty.csv", ""), "empty");
        assertFails(dir.resolve("missing.csv"), "missing.csv: no such file");
        assertFails(csv("model.onnx", "x"), "not a data set this reads");
        String wide = assertThrows(DataException.class, () -> DataFiles.load(csv("wide.csv", rows(10)),
                new long[]{1, 3, 3}, 3, NormalizationChoice.AUTO, 1)).getMessage();
        assertTrue(wide.contains("samples of 4 values do not fit the model's input [1, 3, 3] (9 values)"), wide);
    }

    @Test
    void normalizeOptionsAreCheckedWithAClearMessage() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NormalizationChoice.parse("0.5"))
                .getMessage().contains("auto, none or MEAN,STD"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NormalizationChoice.parse("0,0"))
                .getMessage().contains("positive"));
    }
}
