package io.ftpipe.broker.embedded;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes HiveMQ's {@code config.xml} for an embedded broker: the shipped, tensor-tuned
 * configuration ({@code config/hivemq/config.xml}, copied into this jar at build time) with the
 * TCP listener's port and bind address replaced, and optionally a TLS listener added. Editing the
 * DOM rather than the text keeps the shipped file the single source of every other setting.
 */
public final class BrokerConfigXml {

    /** The shipped {@code config/hivemq/config.xml}, as a classpath resource. */
    static final String SHIPPED = "config.xml";

    private BrokerConfigXml() {
    }

    /** The shipped configuration with {@code port} and {@code bindAddress}, written to {@code target}. */
    public static void write(Path target, int port, String bindAddress) throws IOException {
        write(target, port, bindAddress, null);
    }

    /** The same, plus {@code tls} (null for none) on the same bind address. */
    public static void write(Path target, int port, String bindAddress, TlsListener tls) throws IOException {
        try (InputStream in = BrokerConfigXml.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IOException(SHIPPED + " is missing from the classpath; build with Maven");
            }
            write(in, target, port, bindAddress, tls);
        }
    }

    /** {@code template} (a HiveMQ config.xml with one tcp-listener) with the listener replaced. */
    public static void write(Path template, Path target, int port, String bindAddress) throws IOException {
        write(template, target, port, bindAddress, null);
    }

    /** The same, plus {@code tls} (null for none). */
    public static void write(Path template, Path target, int port, String bindAddress, TlsListener tls)
            throws IOException {
        try (InputStream in = Files.newInputStream(template)) {
            write(in, target, port, bindAddress, tls);
        }
    }

    private static void write(InputStream template, Path target, int port, String bindAddress, TlsListener tls)
            throws IOException {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, got " + port);
        }
        Document doc = parse(template);
        NodeList listeners = doc.getElementsByTagName("tcp-listener");
        if (listeners.getLength() != 1) {
            throw new IOException("the HiveMQ config template must have exactly one <tcp-listener>, found "
                    + listeners.getLength());
        }
        Element listener = (Element) listeners.item(0);
        setChild(doc, listener, "port", Integer.toString(port));
        setChild(doc, listener, "bind-address", bindAddress);
        if (tls != null) {
            if (doc.getElementsByTagName("tls-tcp-listener").getLength() > 0) {
                throw new IOException("the HiveMQ config template has a <tls-tcp-listener> already; give either it "
                        + "or a TlsListener, not both");
            }
            listener.getParentNode().appendChild(tlsListener(doc, tls, bindAddress));
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.transform(new DOMSource(doc), new StreamResult(out));
        } catch (TransformerException e) {
            throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** The element config/README.md documents, with HiveMQ's element names (its config.xsd). */
    private static Element tlsListener(Document doc, TlsListener tls, String bindAddress) {
        Element listener = doc.createElement("tls-tcp-listener");
        append(doc, listener, "port", Integer.toString(tls.port()));
        append(doc, listener, "bind-address", bindAddress);
        Element settings = append(doc, listener, "tls", null);
        Element keystore = append(doc, settings, "keystore", null);
        append(doc, keystore, "path", tls.keystore().toAbsolutePath().toString());
        append(doc, keystore, "password", tls.keystorePassword());
        append(doc, keystore, "private-key-password", tls.privateKeyPassword());
        // Only TLS 1.3 and 1.2: older versions are broken, and every Java 17 client speaks both.
        Element protocols = append(doc, settings, "protocols", null);
        append(doc, protocols, "protocol", "TLSv1.3");
        append(doc, protocols, "protocol", "TLSv1.2");
        return listener;
    }

    private static Element append(Document doc, Element parent, String name, String text) {
        Element child = doc.createElement(name);
        if (text != null) {
            child.setTextContent(text);
        }
        parent.appendChild(child);
        return child;
    }

    private static Document parse(InputStream in) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(in);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("the HiveMQ config template is not valid XML: " + e.getMessage(), e);
        }
    }

    private static void setChild(Document doc, Element parent, String name, String value) {
        NodeList children = parent.getElementsByTagName(name);
        Element child;
        if (children.getLength() > 0) {
            child = (Element) children.item(0);
        } else {
            child = doc.createElement(name);
            parent.appendChild(child);
        }
        child.setTextContent(value);
    }
}
