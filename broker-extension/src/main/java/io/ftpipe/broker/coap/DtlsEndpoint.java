package io.ftpipe.broker.coap;

import io.ftpipe.broker.security.LiveAccounts;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;

import java.net.InetSocketAddress;

/**
 * The management API's DTLS endpoint (RFC 6347 through Californium's Scandium): a server that
 * takes pre-shared keys only, one per management client ({@link AccountsPskStore}). Over it the
 * client is who its key proves, so no password travels at all: the endpoint may listen beyond
 * loopback.
 */
final class DtlsEndpoint {
    private DtlsEndpoint() {
    }

    static CoapEndpoint create(Configuration coap, InetSocketAddress address, LiveAccounts accounts) {
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(coap)
                .setAddress(address)
                .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY)
                .setAdvancedPskStore(new AccountsPskStore(accounts))
                .build();
        DTLSConnector connector = new DTLSConnector(dtls);
        // Sessions made with a key that a reload changed or removed must not go on.
        accounts.onChange(now -> connector.clearConnectionState());
        return CoapEndpoint.builder().setConfiguration(coap).setConnector(connector).build();
    }
}
