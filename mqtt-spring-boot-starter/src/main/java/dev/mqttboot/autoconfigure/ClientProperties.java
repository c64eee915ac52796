package dev.mqttboot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mqttboot.client.ClientStartException;
import dev.mqttboot.client.MqttConnections;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.Environment;

/**
 * The client properties each connection runs with: {@code default} is {@code mqtt.client} as bound; a connection
 * under {@code mqtt.clients.<name>} binds {@code mqtt.client} into its own instance, then its own properties over
 * it, so what it leaves unset is what {@code mqtt.client} says and every field keeps one default, its initialiser in
 * {@link MqttProperties.Client}.
 *
 * @param name the connection's name
 * @param prefix the properties' prefix, {@code mqtt.client.} or {@code mqtt.clients.<name>.}
 * @param client the properties
 */
record ClientProperties(String name, String prefix, MqttProperties.Client client) {

	private static final String DEFAULT_PREFIX = "mqtt.client";

	/**
	 * Every connection's properties, bound once for the connection details and the connections.
	 * @param byName the connections' properties by name, {@code default} first
	 */
	record All(Map<String, ClientProperties> byName) {

	}

	/**
	 * Binds every connection's properties, {@code default} first.
	 * @param properties the bound MQTT properties (for {@code mqtt.client} and the connection names)
	 * @param environment the environment to bind the named connections from
	 * @return the connections' properties by name, in order
	 */
	static All of(MqttProperties properties, Environment environment) {
		Map<String, ClientProperties> connections = new LinkedHashMap<>();
		connections.put(MqttConnections.DEFAULT,
				new ClientProperties(MqttConnections.DEFAULT, DEFAULT_PREFIX + ".", properties.getClient()));
		if (properties.getClients().isEmpty()) {
			return new All(connections);
		}
		ApplicationConversionService conversion = new ApplicationConversionService();
		conversion.addConverter(new MqttProtocolVersionConverter());
		Binder binder = new Binder(ConfigurationPropertySources.get(environment),
				new PropertySourcesPlaceholdersResolver(environment), conversion);
		for (String name : properties.getClients().keySet()) {
			String prefix = "mqtt.clients." + name;
			MqttProperties.Client client = binder.bindOrCreate(DEFAULT_PREFIX, MqttProperties.Client.class);
			binder.bind(prefix, Bindable.ofInstance(client));
			ClientProperties connection = new ClientProperties(name, prefix + ".", client);
			if (binder.bind(prefix + ".observation-enabled", Boolean.class).isBound()) {
				throw connection.invalid("observation-enabled",
						"observation is switched for every connection's template at once",
						"nothing; set mqtt.client.observation-enabled instead");
			}
			connections.put(name, connection);
		}
		return new All(connections);
	}

	/**
	 * @param property the property, relative to this connection's prefix
	 * @param problem what is wrong with its value
	 * @param accepted what it accepts
	 * @return a start-up failure naming the property in full
	 */
	ClientStartException invalid(String property, String problem, String accepted) {
		String fullName = this.prefix + property;
		return new ClientStartException(fullName, "Invalid value for " + fullName + ": " + problem,
				"Set " + fullName + " to " + accepted);
	}

}
