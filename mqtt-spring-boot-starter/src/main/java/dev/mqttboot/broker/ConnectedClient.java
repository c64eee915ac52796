package dev.mqttboot.broker;

import java.net.InetSocketAddress;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A client connected to the embedded broker.
 *
 * @param clientId the MQTT client identifier
 * @param username the user name it logged in with, or {@code null} when anonymous
 * @param remoteAddress the client's address and port
 * @param transport the listener it came through
 * @param protocolLevel the MQTT protocol level from CONNECT (3 = MQTT 3.1, 4 = MQTT 3.1.1)
 * @param keepAlive the keep-alive in effect, in seconds (after the broker's ceiling; 0 = none)
 * @param requestedKeepAlive the keep-alive the client asked for, in seconds
 * @param cleanSession whether the client asked for a clean session
 * @param connectedSince when the broker accepted the connection
 */
public record ConnectedClient(String clientId, @Nullable String username, @Nullable InetSocketAddress remoteAddress, Transport transport,
		int protocolLevel, int keepAlive, int requestedKeepAlive, boolean cleanSession, Instant connectedSince) {
}
