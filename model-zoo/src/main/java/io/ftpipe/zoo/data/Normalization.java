package io.ftpipe.zoo.data;

/**
 * The input preprocessing every model in the zoo is trained with. Public because an exported model
 * must document it: whoever feeds the model has to apply exactly the same transform.
 */
public final class Normalization {

    /** Raw IDX pixels are unsigned bytes; dividing by this maps them to [0, 1]. */
    public static final float PIXEL_SCALE = 255f;
    /** Mean of the Fashion-MNIST training pixels after scaling to [0, 1]. */
    public static final float MEAN = 0.2860f;
    /** Standard deviation of the Fashion-MNIST training pixels after scaling to [0, 1]. */
    public static final float STD = 0.3530f;

    // Only 256 inputs exist, so a table turns the per-pixel arithmetic of 47M pixels into a load.
    private static final float[] TABLE = new float[256];

    static {
        for (int p = 0; p < TABLE.length; p++) {
            TABLE[p] = (p / PIXEL_SCALE - MEAN) / STD;
        }
    }

    private Normalization() {
    }

    /** (pixel / 255 - MEAN) / STD for a pixel in 0..255. */
    public static float normalize(int pixel) {
        return TABLE[pixel];
    }

    /** Normalises raw pixels, read as unsigned bytes as stored in IDX files. */
    public static float[] normalize(byte[] pixels) {
        float[] out = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = TABLE[pixels[i] & 0xFF];
        }
        return out;
    }
}
