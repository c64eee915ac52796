package dev.mqttboot.brokerconsole;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.mqttboot.broker.ConnectedClient;
import dev.mqttboot.broker.SessionBacklog;

/**
 * A connected client as the console lists it.
 *
 * @param client the client
 * @param backlog its session's in-flight and queued counts, or {@code null} when the broker cannot tell
 */
public record ClientRow(ConnectedClient client, SessionBacklog backlog) {

	/** @return the protocol as users name it */
	public String protocol() {
		return switch (this.client.protocolLevel()) {
			case 3 -> "MQTT 3.1";
			case 4 -> "MQTT 3.1.1";
			case 5 -> "MQTT 5";
			default -> "level " + this.client.protocolLevel();
		};
	}

	/** @return the client's address without the leading slash of {@code InetSocketAddress#toString()} */
	public String address() {
		return (this.client.remoteAddress() != null)
				? this.client.remoteAddress().getHostString() + ":" + this.client.remoteAddress().getPort() : "";
	}

	/** @return when the broker accepted the connection, in UTC to the second */
	public String since() {
		return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
			.withZone(ZoneOffset.UTC)
			.format(this.client.connectedSince());
	}

	boolean matches(String search) {
		String needle = search.toLowerCase(Locale.ROOT);
		return this.client.clientId().toLowerCase(Locale.ROOT).contains(needle)
				|| (this.client.username() != null && this.client.username().toLowerCase(Locale.ROOT).contains(needle))
				|| address().contains(needle);
	}

}
