package io.ftpipe.zoo.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A CSV file of labelled samples: a header row naming its columns, one of them {@code label} (an
 * integer class), every other a number. What a spreadsheet or pandas' {@code to_csv(index=False)}
 * writes. Every problem is a {@link DataException} naming the file, the line and what is wrong.
 *
 * @param features each row's values of the other columns, in their order, row after row
 */
public record CsvTable(Path file, float[] features, int[] labels, int columns) {
    public static final String LABEL = "label";

    public static CsvTable read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || header.isBlank()) {
                throw new DataException(file + ": empty; a CSV of samples starts with a header naming its columns, "
                        + "one of them '" + LABEL + "'");
            }
            List<String> names = Arrays.stream(header.split(",", -1)).map(String::strip).toList();
            int labelColumn = names.indexOf(LABEL);
            if (labelColumn < 0) {
                throw new DataException(file + ": the header " + names + " has no '" + LABEL + "' column");
            }
            int width = names.size() - 1;
            if (width < 1) {
                throw new DataException(file + ": no feature columns besides '" + LABEL + "'");
            }
            List<float[]> rows = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            int line = 1;
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                String[] cells = text.split(",", -1);
                if (cells.length != names.size()) {
                    throw new DataException(file + ":" + line + ": " + cells.length + " values, the header has "
                            + names.size() + " columns (a truncated or damaged file?)");
                }
                float[] row = new float[width];
                int k = 0;
                for (int c = 0; c < cells.length; c++) {
                    if (c == labelColumn) {
                        labels.add(label(file, line, cells[c]));
                    } else {
                        row[k++] = value(file, line, names.get(c), cells[c]);
                    }
                }
                rows.add(row);
            }
            if (rows.isEmpty()) {
                throw new DataException(file + ": a header but no samples");
            }
            float[] features = new float[rows.size() * width];
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, features, r * width, width);
            }
            return new CsvTable(file, features, labels.stream().mapToInt(Integer::intValue).toArray(), width);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static int label(Path file, int line, String cell) {
        try {
            return Integer.parseInt(cell.strip());
        } catch (NumberFormatException e) {
            throw new DataException(file + ":" + line + ": label '" + cell.strip() + "' is not a class index "
                    + "(an integer from 0)");
        }
    }

    private static float value(Path file, int line, String column, String cell) {
        String text = cell.strip();
        if (text.isEmpty()) {
            throw new DataException(file + ":" + line + ": column '" + column + "' is empty (a missing value); "
                    + "training needs every value");
        }
        float v;
        try {
            // numpy and pandas spell them in lower case, which Java's parser does not read.
            v = switch (text.toLowerCase(java.util.Locale.ROOT)) {
                case "nan" -> Float.NaN;
                case "inf", "+inf", "infinity" -> Float.POSITIVE_INFINITY;
                case "-inf", "-infinity" -> Float.NEGATIVE_INFINITY;
                default -> Float.parseFloat(text);
            };
        } catch (NumberFormatException e) {
            throw new DataException(file + ":" + line + ": column '" + column + "' holds '" + cell.strip()
                    + "', not a number");
        }
        if (!Float.isFinite(v)) {
            throw new DataException(file + ":" + line + ": column '" + column + "' is " + v
                    + "; training needs finite values");
        }
        return v;
    }
}
