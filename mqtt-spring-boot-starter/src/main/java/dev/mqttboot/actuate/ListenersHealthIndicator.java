package dev.mqttboot.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.listener.MqttListenerContainer;
import dev.mqttboot.listener.MqttListenerEndpointRegistry;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Whether the {@code @MqttListener}s are listening: UP when the broker holds the subscriptions of every running
 * listener (paused ones included: their messages wait); OUT_OF_SERVICE while one is not subscribed (its connection
 * is down, it has not been answered yet, or the broker refused it), so a readiness group that includes {@code mqtt}
 * turns ready only once the listeners can receive. Listeners stopped on purpose do not count. The details give each
 * listener's state.
 */
public class ListenersHealthIndicator extends AbstractHealthIndicator {

	private final MqttListenerEndpointRegistry registry;

	/**
	 * Create the indicator.
	 * @param registry the listeners
	 */
	public ListenersHealthIndicator(MqttListenerEndpointRegistry registry) {
		super("MQTT listeners health check failed");
		this.registry = registry;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, String> states = new LinkedHashMap<>();
		boolean allSubscribed = true;
		for (MqttListenerContainer container : this.registry.getListenerContainers()) {
			String state;
			if (!container.isRunning()) {
				state = "stopped";
			}
			else if (container.isSubscribed()) {
				state = "subscribed";
			}
			else {
				allSubscribed = false;
				state = notSubscribed(container.connection());
			}
			states.put(container.endpoint().id(), state);
		}
		builder.status(allSubscribed ? Status.UP : Status.OUT_OF_SERVICE).withDetails(states);
	}

	private static String notSubscribed(MqttConnection connection) {
		if (!connection.isConnected()) {
			return "not subscribed: connection '" + connection.name() + "' is down";
		}
		boolean refused = connection.subscriptions()
			.stream()
			.anyMatch((status) -> status.grantedQos() != null && !status.granted());
		return refused ? "not subscribed: the broker refused a subscription" : "not subscribed yet";
	}

}
