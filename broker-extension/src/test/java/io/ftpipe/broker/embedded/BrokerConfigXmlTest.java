package io.ftpipe.broker.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    private static String text(Document doc, String tag) {
        return doc.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
