package io.ftpipe.broker.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerConfigXmlTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheListenerAndKeepsTheTuning() throws Exception {
        Path target = dir.resolve("conf/config.xml");
        BrokerConfigXml.write(target, 18830, "127.0.0.1");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(target.toFile());
        assertEquals("18830", text(doc, "port"));
        assertEquals("127.0.0.1", text(doc, "bind-address"));
        assertEquals("100", text(doc, "server-receive-maximum"));
        assertEquals("268435460", text(doc, "max-packet-size"));
        assertEquals("5000", text(doc, "max-queue-size"));
        assertEquals("false", doc.getElementsByTagName("anonymous-usage-statistics").item(0)
                .getTextContent().trim());
    }

    @Test
    void refusesTemplatesWithoutOneTcpListener() throws Exception {
        Path template = Files.writeString(dir.resolve("t.xml"), "<hivemq><listeners/></hivemq>");
        assertThrows(java.io.IOException.class,
                () -> BrokerConfigXml.write(template, dir.resolve("c.xml"), 1883, "127.0.0.1"));
    }

    @Test
    void addsATlsListenerBesideThePlainOne() throws Exception {
        Path target = dir.resolve("conf/config.xml");
        BrokerConfigXml.write(target, 18830, "127.0.0.1", TlsListener.of(8883, dir.resolve("broker.p12"), "pw"));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(target.toFile());
        assertEquals(1, doc.getElementsByTagName("tcp-listener").getLength());
        Element tls = (Element) doc.getElementsByTagName("tls-tcp-listener").item(0);
        assertEquals("8883", text(tls, "port"));
        assertEquals("127.0.0.1", text(tls, "bind-address"));
        assertEquals(dir.resolve("broker.p12").toAbsolutePath().toString(), text(tls, "path"));
        assertEquals("pw", text(tls, "private-key-password"));
        assertEquals("TLSv1.3", text(tls, "protocol"));
    }

    /** config/README.md shows the listener for a real HiveMQ: the same elements as the one written here. */
    @Test
    void theDocumentedTlsListenerHasTheElementsWeWrite() throws Exception {
        String readme = Files.readString(Path.of("..", "config", "README.md"));
        int start = readme.indexOf("```xml\n<tls-tcp-listener>") + "```xml\n".length();
        int end = readme.indexOf("</tls-tcp-listener>", start) + "</tls-tcp-listener>".length();
        assertTrue(start >= "```xml\n".length() && end > start, "config/README.md shows a <tls-tcp-listener>");
        Element documented = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(readme.substring(start, end).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8))).getDocumentElement();

        Path target = dir.resolve("c.xml");
        BrokerConfigXml.write(target, 1883, "0.0.0.0", TlsListener.of(8883, dir.resolve("k.p12"), "pw"));
        Element written = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(target.toFile())
                .getElementsByTagName("tls-tcp-listener").item(0);
        assertEquals(paths(written, ""), paths(documented, ""));
    }

    private static java.util.SortedSet<String> paths(Element e, String prefix) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        String path = prefix + "/" + e.getTagName();
        out.add(path);
        for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                out.addAll(paths(child, path));
            }
        }
        return out;
    }

    private static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent().trim();
    }

    private static String text(Document doc, String tag) {
        return doc.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
