package dev.mqttboot.actuate;

import java.util.Objects;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mqttboot.broker.BrokerCluster;
import dev.mqttboot.broker.BrokerSubscription;
import dev.mqttboot.broker.ConnectedClient;
import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.listener.MqttListenerContainer;
import dev.mqttboot.listener.MqttListenerEndpoint;
import dev.mqttboot.listener.MqttListenerEndpointRegistry;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import org.jspecify.annotations.Nullable;

/**
 * The {@code mqtt} actuator endpoint: the embedded broker (ports, connected clients), the client connections and the
 * listeners; {@code POST /actuator/mqtt/{listenerId}} with {@code {"action": "pause"}} (or resume, stop, start)
 * controls a listener. Passwords and payloads are never shown; who is connected (client ids, user names, addresses,
 * subscriptions) only as {@code management.endpoint.mqtt.show-values} allows, as Spring Boot's {@code env} endpoint
 * does for values.
 */
@Endpoint(id = "mqtt")
public class MqttEndpoint {

	private final @Nullable MqttBroker broker;

	private final @Nullable MqttConnections connections;

	private final @Nullable MqttListenerEndpointRegistry listeners;

	private final Show showValues;

	private final Set<String> roles;

	/**
	 * Create an endpoint that always shows who is connected.
	 * @param broker the embedded broker, or {@code null}
	 * @param connections the client connections, or {@code null}
	 * @param listeners the listener registry, or {@code null}
	 */
	public MqttEndpoint(@Nullable MqttBroker broker, @Nullable MqttConnections connections,
			@Nullable MqttListenerEndpointRegistry listeners) {
		this(broker, connections, listeners, Show.ALWAYS, Set.of());
	}

	/**
	 * Create the endpoint; each part may be absent.
	 * @param broker the embedded broker, or {@code null}
	 * @param connections the client connections, or {@code null}
	 * @param listeners the listener registry, or {@code null}
	 * @param showValues when client identities, addresses and subscriptions are shown
	 * @param roles the roles that may see them with {@link Show#WHEN_AUTHORIZED} (empty: any authenticated user)
	 */
	public MqttEndpoint(@Nullable MqttBroker broker, @Nullable MqttConnections connections,
			@Nullable MqttListenerEndpointRegistry listeners, Show showValues, Set<String> roles) {
		this.broker = broker;
		this.connections = connections;
		this.listeners = listeners;
		this.showValues = showValues;
		this.roles = Set.copyOf(roles);
	}

	/**
	 * Everything at once; who is connected only when the caller may see it.
	 * @param securityContext the caller
	 * @return the description
	 */
	@ReadOperation
	public MqttDescriptor mqtt(SecurityContext securityContext) {
		boolean shown = this.showValues.isShown(securityContext, this.roles);
		BrokerDescriptor broker = null;
		if (this.broker != null) {
			Map<String, List<SubscriptionOnBroker>> subscriptions = new HashMap<>();
			for (BrokerSubscription subscription : this.broker.subscriptions()) {
				subscriptions.computeIfAbsent(subscription.clientId(), (id) -> new ArrayList<>())
					.add(new SubscriptionOnBroker(subscription.topicFilter(), subscription.qos()));
			}
			List<ConnectedClient> connected = this.broker.connectedClients();
			broker = new BrokerDescriptor(this.broker.isRunning(), this.broker.ports().asMap(), connected.size(),
					shown ? connected.stream()
						.map((client) -> ClientOnBroker.of(client,
								subscriptions.getOrDefault(client.clientId(), List.of())))
						.toList() : null,
					this.broker.cluster().map((cluster) -> ClusterDescriptor.of(cluster, shown)).orElse(null));
		}
		List<ConnectionDescriptor> clients = (this.connections != null) ? this.connections.all()
			.stream()
			.map((connection) -> ConnectionDescriptor.of(connection, shown))
			.toList() : List.of();
		List<ListenerDescriptor> listeners = (this.listeners != null)
				? this.listeners.getListenerContainers().stream().map(ListenerDescriptor::of).toList() : List.of();
		return new MqttDescriptor(shown, broker, clients, listeners);
	}

	/**
	 * Pause, resume, stop or start a listener.
	 * @param id the listener id
	 * @param action {@code pause}, {@code resume}, {@code stop} or {@code start}
	 * @return the listener afterwards
	 */
	@WriteOperation
	public @Nullable ListenerDescriptor listener(@Selector String id, String action) {
		if (action == null || !ACTIONS.contains(action)) {
			throw new InvalidEndpointRequestException("Unknown action '" + action + "'; use " + ACTIONS,
					"Unknown action; use pause, resume, stop or start");
		}
		MqttListenerContainer container = container(id);
		if (container == null) {
			return null;
		}
		switch (action) {
			case "pause" -> container.pause();
			case "resume" -> container.resume();
			case "stop" -> container.stop();
			// Through the registry: it returns once the listener is subscribed (or the connection timeout passed).
			default -> Objects.requireNonNull(this.listeners, "the listener registry").start(id);
		}
		return ListenerDescriptor.of(container);
	}

	private static final List<String> ACTIONS = List.of("pause", "resume", "stop", "start");

	/** @return the container of a listener id, or {@code null} when there is none */
	@Nullable MqttListenerContainer container(String id) {
		if (this.listeners == null) {
			return null;
		}
		try {
			return this.listeners.getListenerContainer(id);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * The whole picture.
	 * @param detailsShown whether client identities, addresses and subscriptions are included
	 * @param broker the embedded broker, or {@code null}
	 * @param clients the application's client connections
	 * @param listeners the listeners
	 */
	public record MqttDescriptor(boolean detailsShown, @Nullable BrokerDescriptor broker, List<ConnectionDescriptor> clients,
			List<ListenerDescriptor> listeners) {
	}

	/**
	 * The embedded broker.
	 * @param running whether it runs
	 * @param ports the bound ports
	 * @param connections how many clients are connected
	 * @param clients who they are, or {@code null} when not shown
	 * @param cluster the cluster it is a node of, or {@code null} when it runs alone
	 */
	public record BrokerDescriptor(boolean running, Map<String, Integer> ports, int connections,
			@Nullable List<ClientOnBroker> clients, @Nullable ClusterDescriptor cluster) {
	}

	/**
	 * The cluster the embedded broker is a node of.
	 * @param nodeName this node's name
	 * @param role {@code node}, {@code primary} or {@code backup}
	 * @param active whether this node serves clients now
	 * @param memberCount how many nodes this one sees, itself included
	 * @param members those nodes (id, cluster address, backup), or {@code null} when not shown
	 * @param messagesSent messages forwarded to other nodes
	 * @param messagesReceived messages other nodes forwarded here
	 */
	public record ClusterDescriptor(String nodeName, String role, boolean active, int memberCount,
			@Nullable List<BrokerCluster.Member> members, long messagesSent, long messagesReceived) {

		static ClusterDescriptor of(BrokerCluster cluster, boolean shown) {
			return new ClusterDescriptor(cluster.nodeName(), cluster.role(), cluster.active(), cluster.members().size(),
					shown ? cluster.members() : null, cluster.messagesSent(), cluster.messagesReceived());
		}

	}

	/** A client connected to the embedded broker. */
	public record ClientOnBroker(String clientId, @Nullable String username, @Nullable String address, String transport, int keepAlive,
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
	public record ConnectionDescriptor(String name, String state, @Nullable String url, @Nullable String clientId,
			String protocol, int keepAlive, int inflight, @Nullable List<MqttConnection.SubscriptionStatus> subscriptions) {

		static ConnectionDescriptor of(MqttConnection connection, boolean shown) {
			return new ConnectionDescriptor(connection.name(), connection.isConnected() ? "connected" : "disconnected",
					connection.url(), shown ? connection.clientId() : null, connection.protocolVersion().name(),
					connection.keepAliveSeconds(), connection.inflight(), shown ? connection.subscriptions() : null);
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
