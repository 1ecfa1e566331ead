package io.ftpipe.zoo.data;

/**
 * How a user's data is normalised, as {@code --normalize} spells it: {@code auto} (each channel's
 * mean and standard deviation over the training set, the default), {@code none}, or
 * {@code MEAN,STD} for every channel.
 */
public record NormalizationChoice(ChannelNormalization given) {
    public static final NormalizationChoice AUTO = new NormalizationChoice(null);

    /** @throws IllegalArgumentException naming the value and what is accepted */
    public static NormalizationChoice parse(String text) {
        String t = text.strip();
        if (t.equals("auto")) {
            return AUTO;
        }
        if (t.equals("none")) {
            return new NormalizationChoice(ChannelNormalization.NONE);
        }
        String[] parts = t.split(",");
        try {
            if (parts.length == 2) {
                return new NormalizationChoice(ChannelNormalization.of(Float.parseFloat(parts[0].strip()),
                        Float.parseFloat(parts[1].strip())));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("normalize '" + text + "': " + e.getMessage());
        }
        throw new IllegalArgumentException("normalize must be auto, none or MEAN,STD (e.g. 0.5,0.25), got '" + text
                + "'");
    }

    /** The normalisation to apply to data of {@code sampleShape} whose training features are these. */
    public ChannelNormalization resolve(float[] trainFeatures, long[] sampleShape) {
        return given != null ? given : ChannelNormalization.fit(trainFeatures, sampleShape);
    }
}
