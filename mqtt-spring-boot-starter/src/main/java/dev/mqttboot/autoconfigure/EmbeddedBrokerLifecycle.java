package dev.mqttboot.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import dev.mqttboot.broker.BrokerPorts;
import dev.mqttboot.broker.MqttBroker;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

/**
 * Starts the broker before, and stops it after, every other lifecycle bean (client connections and listeners among
 * them), and publishes its bound ports as {@code local.mqtt.port}, {@code local.mqtt.ssl-port},
 * {@code local.mqtt.websocket-port} and {@code local.mqtt.ssl-websocket-port}, like {@code local.server.port}.
 */
public class EmbeddedBrokerLifecycle implements SmartLifecycle {

	/** Phase of the broker: well before clients ({@link SmartLifecycle#DEFAULT_PHASE}) and the web server. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 8192;

	private static final String PROPERTY_SOURCE_NAME = "mqtt.broker.ports";

	private final MqttBroker broker;

	private final ConfigurableEnvironment environment;

	/**
	 * Create the lifecycle for a broker.
	 * @param broker the broker to start and stop
	 * @param environment where the bound ports are published
	 */
	public EmbeddedBrokerLifecycle(MqttBroker broker, ConfigurableEnvironment environment) {
		this.broker = broker;
		this.environment = environment;
	}

	@Override
	public void start() {
		this.broker.start();
		publishPorts(this.broker.ports());
	}

	@Override
	public void stop() {
		this.broker.stop();
	}

	@Override
	public boolean isRunning() {
		return this.broker.isRunning();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void publishPorts(BrokerPorts ports) {
		Map<String, Object> values = new HashMap<>();
		put(values, "local.mqtt.port", ports.mqtt());
		put(values, "local.mqtt.ssl-port", ports.mqttSsl());
		put(values, "local.mqtt.websocket-port", ports.websocket());
		put(values, "local.mqtt.ssl-websocket-port", ports.websocketSsl());
		MutablePropertySources sources = this.environment.getPropertySources();
		sources.remove(PROPERTY_SOURCE_NAME);
		sources.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, values));
	}

	private static void put(Map<String, Object> values, String name, int port) {
		if (port != BrokerPorts.DISABLED) {
			values.put(name, port);
		}
	}

}
