package dev.mqttboot.autoconfigure;

import java.util.List;
import java.util.function.Function;

import dev.mqttboot.client.ClientStartException;
import dev.mqttboot.client.MqttConnections;

/**
 * Looks a client property up on a named connection ({@code mqtt.clients.<name>}), then on {@code mqtt.client}, then
 * takes the default; names the property in full when a value is invalid.
 */
final class ClientPropertyResolver {

	private final String name;

	private final MqttProperties.Client own;

	private final MqttProperties.Client defaults;

	ClientPropertyResolver(String name, MqttProperties.Client own, MqttProperties.Client defaults) {
		this.name = name;
		this.own = own;
		this.defaults = defaults;
	}

	static ClientPropertyResolver of(String name, MqttProperties properties) {
		MqttProperties.Client own = name.equals(MqttConnections.DEFAULT) ? properties.getClient()
				: properties.getClients().get(name);
		if (own == null) {
			throw new IllegalArgumentException("No MQTT client connection named '" + name + "'");
		}
		return new ClientPropertyResolver(name, own, properties.getClient());
	}

	<T> T get(Function<MqttProperties.Client, T> property, T fallback) {
		T value = property.apply(this.own);
		if (value == null && this.own != this.defaults) {
			value = property.apply(this.defaults);
		}
		if (value instanceof List<?> list && list.isEmpty() && this.own != this.defaults) {
			T inherited = property.apply(this.defaults);
			value = (inherited != null) ? inherited : value;
		}
		return (value != null) ? value : fallback;
	}

	/** @return the value set on this connection itself, not inherited */
	<T> T ownValue(Function<MqttProperties.Client, T> property) {
		return property.apply(this.own);
	}

	ClientStartException invalid(String property, String problem, String accepted) {
		String prefix = this.name.equals(MqttConnections.DEFAULT) ? "mqtt.client." : "mqtt.clients." + this.name + ".";
		return new ClientStartException(prefix + property, "Invalid value for " + prefix + property + ": " + problem,
				"Set " + prefix + property + " to " + accepted);
	}

}
