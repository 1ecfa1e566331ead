package io.ftpipe.zoo.state;

import io.ftpipe.protocol.ProtocolException;
import io.ftpipe.protocol.RejectReason;

import java.util.ArrayList;
import java.util.List;

/**
 * Unit states as messages carry them ({@code assign}, {@code weights}, {@code replica}): each one
 * encoded on its own by {@link UnitStateCodec}. A payload that does not decode makes its message
 * {@link RejectReason#MALFORMED}.
 */
public final class UnitStatePayloads {
    private UnitStatePayloads() {
    }

    public static List<byte[]> encode(List<UnitState> units) {
        return units.stream().map(UnitStateCodec::encode).toList();
    }

    /** @throws ProtocolException if a payload is no unit state */
    public static List<UnitState> decode(List<byte[]> payloads) {
        List<UnitState> out = new ArrayList<>(payloads.size());
        for (byte[] b : payloads) {
            try {
                out.add(UnitStateCodec.decode(b));
            } catch (IllegalArgumentException e) {
                throw new ProtocolException(RejectReason.MALFORMED, e.getMessage());
            }
        }
        return out;
    }
}
