package dev.mqttboot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.mqttboot.broker.BrokerStartException;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The broker properties that moved into an engine's own group ({@code mqtt.broker.moquette.*},
 * {@code mqtt.broker.artemis.*}). One still set under its old name, from any property source (a file, the command
 * line, an environment variable), fails the start-up naming the new one: left unbound, it would be silently ignored.
 */
final class MovedBrokerProperties {

	/** Old name (a property or a whole group) to new name. */
	private static final Map<ConfigurationPropertyName, String> MOVED = new LinkedHashMap<>();

	static {
		moved("session-queue-size", "moquette.session-queue-size");
		moved("outbound-buffer-size", "moquette.outbound-buffer-size");
		moved("max-queued-messages", "moquette.max-queued-messages");
		moved("redelivery-interval", "moquette.redelivery-interval");
		moved("persistence.autosave-interval", "moquette.autosave-interval");
		moved("max-memory", "artemis.max-memory");
		moved("persistence.sync", "artemis.journal-sync");
		moved("cluster", "artemis.cluster");
	}

	private MovedBrokerProperties() {
	}

	private static void moved(String from, String to) {
		MOVED.put(ConfigurationPropertyName.of("mqtt.broker." + from), "mqtt.broker." + to);
	}

	/**
	 * @param environment the application's environment
	 * @throws BrokerStartException naming the new property when an old one is set
	 */
	static void check(Environment environment) {
		if (environment instanceof ConfigurableEnvironment configurable) {
			// Environment variables by their own names: Spring Boot binds MQTT_BROKER_MAX_MEMORY (the legacy form)
			// as well as MQTT_BROKER_MAXMEMORY, and only the second maps back to a property name.
			for (PropertySource<?> source : configurable.getPropertySources()) {
				if (source instanceof SystemEnvironmentPropertySource variables) {
					for (String variable : variables.getPropertyNames()) {
						checkVariable(variable);
					}
				}
			}
		}
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream().forEach(MovedBrokerProperties::check);
			}
		}
	}

	private static void checkVariable(String variable) {
		String upper = variable.toUpperCase(Locale.ROOT);
		MOVED.forEach((old, replacement) -> {
			String canonical = environmentVariable(old.toString());
			String legacy = old.toString().replace('-', '_').replace('.', '_').toUpperCase(Locale.ROOT);
			for (String form : List.of(canonical, legacy)) {
				if (upper.equals(form) || upper.startsWith(form + "_")) {
					String rest = upper.substring(form.length());
					String newVariable = environmentVariable(replacement) + rest;
					throw new BrokerStartException(variable,
							"The environment variable " + variable + " is set, but its property moved to "
									+ replacement + rest.toLowerCase(Locale.ROOT).replace('_', '.')
									+ " (settings only one engine reads are under mqtt.broker.moquette and"
									+ " mqtt.broker.artemis)",
							"Rename " + variable + " to " + newVariable, null);
				}
			}
		});
	}

	/** @return the environment variable Spring Boot binds to the property, e.g. MQTT_BROKER_ARTEMIS_MAXMEMORY */
	private static String environmentVariable(String property) {
		return property.replace("-", "").replace('.', '_').replace('[', '_').replace("]", "").toUpperCase(Locale.ROOT);
	}

	private static void check(ConfigurationPropertyName name) {
		// Compared without dashes: a name from an environment variable has lost them (MQTT_BROKER_MAX_MEMORY).
		String found = name.toString();
		String plain = found.replace("-", "");
		MOVED.forEach((old, replacement) -> {
			String oldPlain = old.toString().replace("-", "");
			if (plain.equals(oldPlain) || plain.startsWith(oldPlain + ".") || plain.startsWith(oldPlain + "[")) {
				String rest = plain.substring(oldPlain.length());
				String newName = replacement + (found.replace("-", "").equals(found) ? rest
						: found.substring(old.toString().length()));
				throw new BrokerStartException(found,
						found + " is set, but the property has moved to " + newName
								+ " (settings only one engine reads are under mqtt.broker.moquette and mqtt.broker.artemis)",
						"Rename " + found + " to " + newName + " (as an environment variable: "
								+ environmentVariable(newName) + ")",
						null);
			}
		});
	}

}
