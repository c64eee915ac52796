package dev.mqttboot.actuate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mqttboot.broker.BrokerSubscription;
import dev.mqttboot.broker.ConnectedClient;
import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.listener.MqttListenerContainer;
import dev.mqttboot.listener.MqttListenerEndpoint;
import dev.mqttboot.listener.MqttListenerEndpointRegistry;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code mqtt} actuator endpoint: the embedded broker (ports, connected clients), the client connections and the
 * listeners; {@code POST /actuator/mqtt/{listenerId}} with {@code {"action": "pause"}} (or resume, stop, start)
 * controls a listener. Passwords and payloads are never shown.
 */
@Endpoint(id = "mqtt")
public class MqttEndpoint {

	private final MqttBroker broker;

	private final MqttConnections connections;

	private final MqttListenerEndpointRegistry listeners;

	/**
	 * Create the endpoint; each part may be absent.
	 * @param broker the embedded broker, or {@code null}
	 * @param connections the client connections, or {@code null}
	 * @param listeners the listener registry, or {@code null}
	 */
	public MqttEndpoint(MqttBroker broker, MqttConnections connections, MqttListenerEndpointRegistry listeners) {
		this.broker = broker;
		this.connections = connections;
		this.listeners = listeners;
	}

	/**
	 * Everything at once.
	 * @return the description
	 */
	@ReadOperation
	public MqttDescriptor mqtt() {
		BrokerDescriptor broker = null;
		if (this.broker != null) {
			Map<String, List<SubscriptionOnBroker>> subscriptions = new HashMap<>();
			for (BrokerSubscription subscription : this.broker.subscriptions()) {
				subscriptions.computeIfAbsent(subscription.clientId(), (id) -> new ArrayList<>())
					.add(new SubscriptionOnBroker(subscription.topicFilter(), subscription.qos()));
			}
			broker = new BrokerDescriptor(this.broker.isRunning(), this.broker.ports().asMap(),
					this.broker.connectedClients()
						.stream()
						.map((client) -> ClientOnBroker.of(client,
								subscriptions.getOrDefault(client.clientId(), List.of())))
						.toList());
		}
		List<ConnectionDescriptor> clients = (this.connections != null)
				? this.connections.all().stream().map(ConnectionDescriptor::of).toList() : List.of();
		List<ListenerDescriptor> listeners = (this.listeners != null)
				? this.listeners.getListenerContainers().stream().map(ListenerDescriptor::of).toList() : List.of();
		return new MqttDescriptor(broker, clients, listeners);
	}

	/**
	 * Pause, resume, stop or start a listener.
	 * @param id the listener id
	 * @param action {@code pause}, {@code resume}, {@code stop} or {@code start}
	 * @return the listener afterwards
	 */
	@WriteOperation
	public ListenerDescriptor listener(@Selector String id, String action) {
		if (this.listeners == null) {
			throw new IllegalArgumentException("There are no MQTT listeners");
		}
		switch (action) {
			case "pause" -> this.listeners.pause(id);
			case "resume" -> this.listeners.resume(id);
			case "stop" -> this.listeners.stop(id);
			case "start" -> this.listeners.start(id);
			default -> throw new IllegalArgumentException(
					"Unknown action '" + action + "'; use pause, resume, stop or start");
		}
		return ListenerDescriptor.of(this.listeners.getListenerContainer(id));
	}

	/** The whole picture. */
	public record MqttDescriptor(BrokerDescriptor broker, List<ConnectionDescriptor> clients,
			List<ListenerDescriptor> listeners) {
	}

	/** The embedded broker. */
	public record BrokerDescriptor(boolean running, Map<String, Integer> ports, List<ClientOnBroker> clients) {
	}

	/** A client connected to the embedded broker. */
	public record ClientOnBroker(String clientId, String username, String address, String transport, int keepAlive,
			int requestedKeepAlive, boolean cleanSession, Instant connectedSince,
			List<SubscriptionOnBroker> subscriptions) {

		static ClientOnBroker of(ConnectedClient client, List<SubscriptionOnBroker> subscriptions) {
			return new ClientOnBroker(client.clientId(), client.username(),
					(client.remoteAddress() != null) ? client.remoteAddress().getAddress().getHostAddress() + ":"
							+ client.remoteAddress().getPort() : null,
					client.transport().name(), client.keepAlive(), client.requestedKeepAlive(), client.cleanSession(),
					client.connectedSince(), subscriptions);
		}

	}

	/** A subscription of a client on the embedded broker. */
	public record SubscriptionOnBroker(String topicFilter, int qos) {
	}

	/** A client connection of the application. */
	public record ConnectionDescriptor(String name, String state, String url, String clientId, String protocol,
			int keepAlive, int inflight, List<MqttConnection.SubscriptionStatus> subscriptions) {

		static ConnectionDescriptor of(MqttConnection connection) {
			return new ConnectionDescriptor(connection.name(), connection.isConnected() ? "connected" : "disconnected",
					connection.url(), connection.clientId(), connection.protocolVersion().name(),
					connection.keepAliveSeconds(), connection.inflight(), connection.subscriptions());
		}

	}

	/**
	 * A listener.
	 * @param id its id
	 * @param topics its topic templates
	 * @param filters the filters it subscribes to
	 * @param qos the subscription QoS
	 * @param client the client connection whose settings it uses
	 * @param connection the connection it receives on (its dedicated one, or the client connection)
	 * @param state RUNNING, PAUSED or STOPPED
	 * @param queued messages received and not yet processed
	 */
	public record ListenerDescriptor(String id, List<String> topics, List<String> filters, int qos, String client,
			String connection, String state, int queued) {

		static ListenerDescriptor of(MqttListenerContainer container) {
			MqttListenerEndpoint endpoint = container.endpoint();
			return new ListenerDescriptor(endpoint.id(), endpoint.topics(), endpoint.topicFilters(), endpoint.qos(),
					endpoint.client(), container.connection().name(), container.state().name(), container.queued());
		}

	}

}
