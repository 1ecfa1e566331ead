package io.ftpipe.broker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A central node for tests: remembers everything it is told. */
public final class RecordingCentralNode implements CentralNode {

    public record Message(String clientId, String topic, byte[] payload) {
    }

    public final List<Message> messages = new CopyOnWriteArrayList<>();
    /** "connect:id", "disconnect:id:client|server:REASON", "lost:id", in arrival order. */
    public final List<String> presence = new CopyOnWriteArrayList<>();
    public final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public void onDeviceMessage(String clientId, String topic, byte[] payload) {
        messages.add(new Message(clientId, topic, payload));
    }

    @Override
    public void onConnect(String clientId) {
        presence.add("connect:" + clientId);
    }

    @Override
    public void onDisconnect(String clientId, boolean clientInitiated, String reasonCode) {
        presence.add("disconnect:" + clientId + ":" + (clientInitiated ? "client" : "server") + ":" + reasonCode);
    }

    @Override
    public void onConnectionLost(String clientId) {
        presence.add("lost:" + clientId);
    }

    @Override
    public void close() {
        closed.set(true);
    }

    public List<Message> messagesOn(String topic) {
        return messages.stream().filter(m -> m.topic().equals(topic)).toList();
    }
}
