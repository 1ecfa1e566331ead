package io.ftpipe.broker.central;

import io.ftpipe.protocol.Chunks;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.ProtocolException;

/**
 * A device's message from the bytes that arrived: decoded within the size limit, put back together
 * from its chunks, its unit payloads checked. Used by the central node's inbox thread only, so the
 * reassembly needs no locking.
 */
final class DeviceMessageReader {
    private final Chunks.Assembler assembler = new Chunks.Assembler(Chunks.MAX_MESSAGE_BYTES);
    private final int maxPayloadBytes;

    DeviceMessageReader(long maxPayloadBytes) {
        this.maxPayloadBytes = (int) Math.min(Integer.MAX_VALUE, maxPayloadBytes);
    }

    /**
     * @return the message, or null while the chunks of one are still arriving
     * @throws ProtocolException if it is malformed, too large, or carries a bad unit payload
     */
    Message read(String clientId, byte[] payload) {
        Message m = MessageCodec.decode(payload, maxPayloadBytes);
        if (m instanceof Message.Chunk c) {
            byte[] whole = assembler.add(clientId, c);
            if (whole == null) {
                return null;
            }
            m = MessageCodec.decode(whole, Integer.MAX_VALUE);
        }
        UnitPayloadCheck.check(m);
        return m;
    }
}
