package dev.mqttboot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;

import dev.mqttboot.client.MqttConnections;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import org.jspecify.annotations.Nullable;

/**
 * {@link MqttConnectionDetails} from {@code mqtt.client.*} and {@code mqtt.clients.<name>.*} (see {@link ClientProperties}): URLs,
 * user name, password and SSL bundle. A connection with no URL anywhere goes
 * to the embedded broker when one runs. The properties are checked when this is created, so a wrong URL or an unknown
 * bundle fails at start-up naming the property.
 */
final class PropertiesMqttConnectionDetails implements MqttConnectionDetails {

	private final Map<String, Connection> connections = new LinkedHashMap<>();

	/**
	 * @param connections every connection's properties, by name
	 * @param sslBundles the application's SSL bundles, or {@code null}
	 * @param embeddedBroker where the embedded broker listens, or {@code null} when it does not run
	 */
	PropertiesMqttConnectionDetails(Map<String, ClientProperties> connections, @Nullable SslBundles sslBundles,
			@Nullable MqttConnectionDetails embeddedBroker) {
		connections.forEach((name, connection) -> this.connections.put(name,
				connection(connection, sslBundles, embeddedBroker)));
	}

	private static Connection connection(ClientProperties connection, @Nullable SslBundles sslBundles,
			@Nullable MqttConnectionDetails embeddedBroker) {
		MqttProperties.Client client = connection.client();
		List<String> urls = (client.getUrl() != null) ? client.getUrl() : List.of();
		for (String url : urls) {
			if (!url.matches("^(tcp|ssl|ws|wss)://.+")) {
				throw connection.invalid("url", "'" + url + "' is not a broker URL",
						"URLs starting with tcp://, ssl://, ws:// or wss://");
			}
		}
		return new Connection(urls, client.getUsername(), client.getPassword(), sslBundle(connection, sslBundles),
				urls.isEmpty() ? embeddedBroker : null);
	}

	/** @return the named bundle as it is at each call (Boot replaces a reloaded one in its registry) */
	private static Supplier<@Nullable SslBundle> sslBundle(ClientProperties connection,
			@Nullable SslBundles sslBundles) {
		String name = connection.client().getSsl().getBundle();
		if (name == null) {
			return () -> null;
		}
		try {
			if (sslBundles == null) {
				throw new NoSuchSslBundleException(name, "no SslBundles bean");
			}
			sslBundles.getBundle(name);
			return () -> sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw connection.invalid("ssl.bundle", "there is no SSL bundle named '" + name + "'",
					"a bundle defined under spring.ssl.bundle.jks, .pem or .pkcs12");
		}
	}

	@Override
	public List<String> getUrls() {
		return forConnection(MqttConnections.DEFAULT).getUrls();
	}

	@Override
	public @Nullable String getUsername() {
		return forConnection(MqttConnections.DEFAULT).getUsername();
	}

	@Override
	public @Nullable String getPassword() {
		return forConnection(MqttConnections.DEFAULT).getPassword();
	}

	@Override
	public @Nullable SslBundle getSslBundle() {
		return forConnection(MqttConnections.DEFAULT).getSslBundle();
	}

	@Override
	public MqttConnectionDetails forConnection(String name) {
		Connection connection = this.connections.get(name);
		if (connection == null) {
			throw new IllegalArgumentException("No MQTT client connection named '" + name + "' (known: "
					+ this.connections.keySet() + ")");
		}
		return connection;
	}

	/** One connection's details; the URLs are the embedded broker's when none is configured. */
	static final class Connection implements MqttConnectionDetails {

		private final List<String> urls;

		private final @Nullable String username;

		private final @Nullable String password;

		private final Supplier<@Nullable SslBundle> sslBundle;

		private final @Nullable MqttConnectionDetails embeddedBroker;

		Connection(List<String> urls, @Nullable String username, @Nullable String password,
				Supplier<@Nullable SslBundle> sslBundle, @Nullable MqttConnectionDetails embeddedBroker) {
			this.urls = List.copyOf(urls);
			this.username = username;
			this.password = password;
			this.sslBundle = sslBundle;
			this.embeddedBroker = embeddedBroker;
		}

		/** @return whether this connection goes to the embedded broker */
		boolean embeddedBroker() {
			return this.embeddedBroker != null;
		}

		@Override
		public List<String> getUrls() {
			return (this.embeddedBroker != null) ? this.embeddedBroker.getUrls() : this.urls;
		}

		@Override
		public @Nullable String getUsername() {
			return this.username;
		}

		@Override
		public @Nullable String getPassword() {
			return this.password;
		}

		@Override
		public @Nullable SslBundle getSslBundle() {
			return this.sslBundle.get();
		}

	}

}
