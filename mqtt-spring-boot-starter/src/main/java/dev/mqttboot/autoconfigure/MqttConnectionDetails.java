package dev.mqttboot.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

import org.jspecify.annotations.Nullable;

/**
 * Where the MQTT client connections connect and how they authenticate. The auto-configuration registers one built from
 * {@code mqtt.client.*} and {@code mqtt.clients.<name>.*}, which points a connection without a URL at the embedded
 * broker (on the port it bound, random ports included). Define a bean of this type to take the address from
 * elsewhere (a test support class, a platform, a service binding); it replaces the properties' URLs, credentials
 * and SSL bundle, while every other client property still applies.
 * <p>
 * The methods are called when a connection starts, so an implementation may answer with a port known only then.
 */
public interface MqttConnectionDetails extends ConnectionDetails {

	/**
	 * The broker URLs, tried in order.
	 * @return URLs starting with {@code tcp://}, {@code ssl://}, {@code ws://} or {@code wss://}
	 */
	List<String> getUrls();

	/**
	 * The user name.
	 * @return the user name, or {@code null} to connect without one
	 */
	default @Nullable String getUsername() {
		return null;
	}

	/**
	 * The password.
	 * @return the password, or {@code null} to connect without one
	 */
	default @Nullable String getPassword() {
		return null;
	}

	/**
	 * Trust (and client key) material for {@code ssl://} and {@code wss://} URLs.
	 * @return the SSL bundle, or {@code null} for the JVM's default trust
	 */
	default @Nullable SslBundle getSslBundle() {
		return null;
	}

	/**
	 * The details of one named connection: {@code default} for {@code mqtt.client}, otherwise the name under
	 * {@code mqtt.clients}. A connection that a listener container opens for itself goes where its base connection
	 * goes. By default every connection gets these same details.
	 * @param name the connection name
	 * @return the details for that connection
	 */
	default MqttConnectionDetails forConnection(String name) {
		return this;
	}

}
