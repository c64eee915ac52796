package dev.mqttboot.client;

import dev.mqttboot.core.MqttProtocolVersion;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.boot.ssl.SslBundle;

import org.jspecify.annotations.Nullable;

/**
 * Everything a client connection needs, already validated. Built from {@code mqtt.client.*} and
 * {@code mqtt.clients.<name>.*} by the auto-configuration.
 *
 * @param name the connection name
 * @param address where the connection connects and how it authenticates, asked for when the connection starts (an
 * embedded broker's port may be known only then)
 * @param sslBundle the connection's SSL bundle as it is now (a reloaded bundle from its reload on), or {@code null}
 * from the supplier without one; asked for at every connect
 * @param embeddedBroker whether the address is the application's embedded broker
 * @param clientId the MQTT client identifier
 * @param protocolVersion MQTT 3.1.1 or 5
 * @param keepAlive the keep-alive interval
 * @param cleanSession MQTT 3.1.1: start a clean session
 * @param cleanStart MQTT 5: start clean
 * @param sessionExpiry MQTT 5: how long the broker keeps the session after a disconnect, or {@code null}
 * @param connectionTimeout how long one connect attempt may take
 * @param maxInflight the most QoS 1/2 publishes awaiting acknowledgement
 * @param defaultQos the QoS of a publish that does not name one
 * @param maxPayloadSize the largest payload published, in bytes
 * @param will the last will, or {@code null}
 * @param reconnectInitialDelay the first reconnect delay
 * @param reconnectMaxDelay the longest reconnect delay
 * @param offlineBufferSize how many publishes wait while disconnected (0 = fail at once)
 */
public record MqttConnectionSettings(String name, Supplier<Address> address, Supplier<@Nullable SslBundle> sslBundle,
		boolean embeddedBroker,
		String clientId, MqttProtocolVersion protocolVersion, Duration keepAlive, boolean cleanSession,
		boolean cleanStart, @Nullable Duration sessionExpiry, Duration connectionTimeout, int maxInflight,
		int defaultQos, int maxPayloadSize, @Nullable Will will, Duration reconnectInitialDelay, Duration reconnectMaxDelay,
		int offlineBufferSize) {

	/**
	 * The same settings for a connection of its own, e.g. one a listener container opens: another name and a client
	 * id derived from this one.
	 * @param name the new connection's name
	 * @param clientIdSuffix appended to this client id after a dash; characters other than letters, digits, dot,
	 * dash and underscore become dashes
	 * @return the derived settings
	 */
	public MqttConnectionSettings derive(String name, String clientIdSuffix) {
		String suffix = clientIdSuffix.replaceAll("[^A-Za-z0-9._-]", "-");
		return new MqttConnectionSettings(name, this.address, this.sslBundle, this.embeddedBroker,
				this.clientId + "-" + suffix,
				this.protocolVersion, this.keepAlive, this.cleanSession, this.cleanStart, this.sessionExpiry,
				this.connectionTimeout, this.maxInflight, this.defaultQos, this.maxPayloadSize, this.will,
				this.reconnectInitialDelay, this.reconnectMaxDelay, this.offlineBufferSize);
	}

	@Override
	public String toString() {
		return "MqttConnectionSettings[name=" + this.name + ", clientId=" + this.clientId
				+ ", protocol=" + this.protocolVersion + "]";
	}

	/**
	 * Where a connection connects and how it authenticates.
	 * @param urls broker URLs, tried in order ({@code tcp://}, {@code ssl://}, {@code ws://}, {@code wss://})
	 * @param username the user name, or {@code null}
	 * @param password the password, or {@code null}
	 * @param sslBundle trust (and client key) material for {@code ssl://} and {@code wss://}, or {@code null}
	 */
	public record Address(List<String> urls, @Nullable String username, @Nullable String password,
			@Nullable SslBundle sslBundle) {

		public Address {
			urls = List.copyOf(urls);
		}

		@Override
		public String toString() {
			return "Address[urls=" + this.urls + ", username=" + this.username + "]";
		}

	}

	/**
	 * A last will.
	 * @param topic the topic it is published to
	 * @param payload the payload
	 * @param qos its QoS
	 * @param retained whether the broker retains it
	 */
	public record Will(String topic, byte[] payload, int qos, boolean retained) {
	}

}
