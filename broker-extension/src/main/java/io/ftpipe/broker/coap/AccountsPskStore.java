package io.ftpipe.broker.coap;

import io.ftpipe.broker.security.Accounts;
import io.ftpipe.broker.security.LiveAccounts;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.ServerNames;

import javax.crypto.SecretKey;
import java.net.InetSocketAddress;

/**
 * The DTLS server's pre-shared keys: each management client's {@code psk} under its user name as
 * identity. Scandium's own store does the key derivation; this one builds a fresh copy of it from
 * every set of accounts put in force, so a reload takes effect at the next handshake. An unknown
 * identity gets no secret, and Scandium ends that handshake.
 */
final class AccountsPskStore implements AdvancedPskStore {
    private volatile AdvancedMultiPskStore keys;
    private volatile HandshakeResultHandler handler;

    AccountsPskStore(LiveAccounts accounts) {
        keys = build(accounts.get());
        accounts.onChange(now -> {
            AdvancedMultiPskStore fresh = build(now);
            if (handler != null) {
                fresh.setResultHandler(handler);
            }
            keys = fresh;
        });
    }

    private static AdvancedMultiPskStore build(Accounts accounts) {
        AdvancedMultiPskStore store = new AdvancedMultiPskStore();
        accounts.preSharedKeys().forEach((identity, key) -> store.setKey(identity, key.bytes()));
        return store;
    }

    @Override
    public boolean hasEcdhePskSupported() {
        return true;
    }

    @Override
    public PskSecretResult requestPskSecretResult(ConnectionId cid, ServerNames serverName,
                                                  PskPublicInformation identity, String hmacAlgorithm,
                                                  SecretKey otherSecret, byte[] seed, boolean useExtendedMasterSecret) {
        return keys.requestPskSecretResult(cid, serverName, identity, hmacAlgorithm, otherSecret, seed,
                useExtendedMasterSecret);
    }

    /** Only clients ask for their own identity; a server has none. */
    @Override
    public PskPublicInformation getIdentity(InetSocketAddress peerAddress, ServerNames virtualHost) {
        return null;
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        handler = resultHandler;
        keys.setResultHandler(resultHandler);
    }
}
