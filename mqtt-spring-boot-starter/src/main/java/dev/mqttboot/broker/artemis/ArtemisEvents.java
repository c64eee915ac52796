package dev.mqttboot.broker.artemis;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.mqttboot.broker.AccessPolicy;
import dev.mqttboot.broker.BrokerEvent;
import dev.mqttboot.broker.BrokerTraffic;
import dev.mqttboot.broker.ConnectedClient;
import dev.mqttboot.broker.TrafficCounter;
import dev.mqttboot.broker.Transport;
import dev.mqttboot.broker.protocol.ConnectDeadline;
import dev.mqttboot.broker.protocol.ConnectionLedger;
import dev.mqttboot.broker.protocol.KeepAliveCeiling;
import dev.mqttboot.broker.protocol.PacketRules;
import dev.mqttboot.core.TopicLimits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.ssl.SslHandler;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.core.remoting.FailureListener;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerConnectionPlugin;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The bridge between Artemis's MQTT connections and the starter: MQTT interceptors for the packets, a connection
 * plugin for the connections' start and end, and a failure listener for why one ended. It applies the engine-neutral
 * {@link PacketRules}, {@link KeepAliveCeiling} and {@link ConnectDeadline}, reports connects, refusals, violations,
 * publishes, subscriptions and disconnects (through the {@link ConnectionLedger}), and hands the packets Artemis gets
 * wrong to the {@link ConformanceRepairs}.
 */
final class ArtemisEvents implements ActiveMQServerConnectionPlugin {

	private static final Logger logger = LoggerFactory.getLogger(ArtemisEvents.class);

	private final Consumer<BrokerEvent> events;

	private final BrokerTraffic traffic;

	private final TrafficCounter trafficCounter;

	private final KeepAliveCeiling keepAliveCeiling;

	private final PacketRules rules;

	private final Duration connectTimeout;

	private final ConnectionLedger ledger;

	private final ConformanceRepairs repairs;

	private final Map<Object, ClientSession> sessions = new ConcurrentHashMap<>();

	ArtemisEvents(Consumer<BrokerEvent> events, BrokerTraffic traffic, @Nullable Duration keepAliveCeiling, AccessPolicy policy,
			TopicLimits limits, int maxMessageSize, Duration connectTimeout, ReleaseOrder releaseOrder) {
		this.events = events;
		this.traffic = traffic;
		this.trafficCounter = new TrafficCounter(traffic);
		this.keepAliveCeiling = KeepAliveCeiling.of(keepAliveCeiling);
		this.rules = new PacketRules(limits, maxMessageSize);
		this.connectTimeout = connectTimeout;
		this.ledger = new ConnectionLedger(events);
		this.repairs = new ConformanceRepairs(traffic, policy, releaseOrder, () -> this.server);
	}

	private volatile @Nullable ActiveMQServer server;

	@Override
	public void registered(ActiveMQServer server) {
		this.server = server;
		// Called while the server starts, before its acceptors do: no connection is missed.
		server.getRemotingService().addIncomingInterceptor((MQTTInterceptor) this::incoming);
		server.getRemotingService().addOutgoingInterceptor((MQTTInterceptor) this::outgoing);
	}

	/** @return the clients the broker accepted and that are still connected */
	List<ConnectedClient> connectedClients() {
		return this.ledger.list();
	}

	/** Mark the connections of a client as ended by the broker, before the broker closes them. */
	void endingByServer(String clientId) {
		this.ledger.endingByServer(clientId);
	}

	@Override
	public void afterCreateConnection(RemotingConnection connection) {
		Channel channel = MqttSessions.clientChannel(connection);
		if (channel == null) {
			// A cluster link: no MQTT client, no CONNECT to wait for. Held to the CONNECT deadline below, each was
			// closed 10 s after it opened, and the cluster kept reporting its nodes down and up again.
			return;
		}
		ClientSession session = new ClientSession(address(channel.remoteAddress()), transport(channel), channel);
		this.sessions.put(connection.getID(), session);
		channel.pipeline().addFirst("mqttboot-traffic", (ChannelHandler) this.trafficCounter);
		ConnectDeadline.arm(channel, this.connectTimeout, () -> session.protocolLevel != 0,
				() -> logger.debug("Closing MQTT connection {}: no complete CONNECT within {}", channel.remoteAddress(),
						this.connectTimeout));
		connection.addFailureListener(new FailureListener() {
			@Override
			public void connectionFailed(ActiveMQException exception, boolean failedOver) {
				session.ending((exception.getType() == ActiveMQExceptionType.CONNECTION_TIMEDOUT)
						? BrokerEvent.DisconnectReason.KEEPALIVE : BrokerEvent.DisconnectReason.LOST);
				// A connection closed for keep-alive expiry never reaches afterDestroyConnection.
				ended(connection);
			}

			@Override
			public void connectionFailed(ActiveMQException exception, boolean failedOver,
					String scaleDownTargetNodeID) {
				connectionFailed(exception, failedOver);
			}
		});
	}

	@Override
	public void afterDestroyConnection(RemotingConnection connection) {
		ended(connection);
	}

	/** Report the end of a connection once, whichever of Artemis's callbacks comes first. */
	private void ended(RemotingConnection connection) {
		ClientSession session = this.sessions.remove(connection.getID());
		if (session != null && session.client != null) {
			this.ledger.closed(session.channel(), session.client.clientId());
		}
	}

	private boolean incoming(MqttMessage message, RemotingConnection connection) {
		ClientSession session = this.sessions.get(connection.getID());
		if (session == null) {
			return true;
		}
		MqttMessageType type = message.fixedHeader().messageType();
		// [MQTT-3.1.0-2] CONNECT only once: Artemis 2.53 processes a second one. (A first packet other than CONNECT,
		// [MQTT-3.1.0-1], never reaches MQTT: its bytes do not name the protocol, and UnrecognisedConnections closes it.)
		String violation = this.rules.sequence(type, session.protocolLevel != 0);
		if (violation == null && type != MqttMessageType.PUBLISH) {
			violation = this.rules.content(message, session.protocolLevel);
		}
		if (violation != null) {
			return violation(session, violation);
		}
		switch (type) {
			case CONNECT -> {
				MqttConnectMessage connect = (MqttConnectMessage) message;
				session.username = connect.payload().userName();
				session.willTopic = connect.variableHeader().isWillFlag() ? connect.payload().willTopic() : null;
				session.protocolLevel = connect.variableHeader().version();
				session.requestedKeepAlive = connect.variableHeader().keepAliveTimeSeconds();
				session.cleanSession = connect.variableHeader().isCleanSession();
			}
			case PUBLISH -> {
				MqttPublishMessage publish = (MqttPublishMessage) message;
				String topic = session.inboundTopic(publish);
				String problem = this.rules.publish(publish, topic, session.protocolLevel);
				if (problem != null) {
					return violation(session, problem);
				}
				this.events.accept(new BrokerEvent.MessagePublished(session.clientId(), topic,
						publish.fixedHeader().qosLevel().value(), publish.fixedHeader().isRetain(),
						publish.payload().readableBytes()));
			}
			case SUBSCRIBE -> {
				MqttSubscribeMessage subscribe = (MqttSubscribeMessage) message;
				session.pendingSubscribes.put(subscribe.idAndPropertiesVariableHeader().messageId(),
						subscribe.payload().topicSubscriptions().stream().map(MqttTopicSubscription::topicFilter)
							.toList());
			}
			case UNSUBSCRIBE -> {
				MqttUnsubscribeMessage unsubscribe = (MqttUnsubscribeMessage) message;
				String clientId = session.clientId();
				for (String filter : unsubscribe.payload().topics()) {
					if (clientId != null) {
						this.events.accept(new BrokerEvent.Unsubscribed(clientId, filter));
					}
				}
			}
			case DISCONNECT -> session.ending(BrokerEvent.DisconnectReason.CLIENT);
			case PUBCOMP -> this.repairs.completed(session,
					((MqttMessageIdVariableHeader) message.variableHeader()).messageId());
			default -> {
			}
		}
		return true;
	}


	private boolean outgoing(MqttMessage message, RemotingConnection connection) {
		ClientSession session = this.sessions.get(connection.getID());
		if (session == null) {
			return true;
		}
		switch (message.fixedHeader().messageType()) {
			case CONNACK -> {
				return connack((MqttConnAckMessage) message, connection, session);
			}
			case SUBACK -> {
				MqttSubAckMessage subAck = (MqttSubAckMessage) message;
				List<String> filters = session.pendingSubscribes
					.remove(subAck.idAndPropertiesVariableHeader().messageId());
				List<Integer> codes = subAck.payload().reasonCodes();
				String clientId = session.clientId();
				if (filters != null && clientId != null) {
					for (int i = 0; i < filters.size() && i < codes.size(); i++) {
						if (codes.get(i) < 0x80) {
							this.events.accept(new BrokerEvent.Subscribed(clientId, filters.get(i),
									codes.get(i)));
						}
					}
				}
			}
			case PUBLISH -> {
				boolean delivered = this.repairs.deliver((MqttPublishMessage) message, session);
				if (delivered) {
					this.traffic.countDelivered(message.fixedHeader().qosLevel().value());
				}
				return delivered;
			}
			case PUBREL -> {
				return this.repairs.release(connection, session,
						((MqttMessageIdVariableHeader) message.variableHeader()).messageId());
			}
			case DISCONNECT -> session.ending(BrokerEvent.DisconnectReason.SERVER);
			default -> {
			}
		}
		return true;
	}



	private boolean violation(ClientSession session, String violation) {
		this.ledger.violation(session.channel(),
				new BrokerEvent.ProtocolViolation(session.clientId(), session.remoteAddress, violation));
		return false;
	}

	private boolean connack(MqttConnAckMessage connAck, RemotingConnection connection, ClientSession session) {
		MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
		if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
			ConnectedClient client = session.accept(connection.getClientID(), keepAliveInEffect(connAck, session));
			this.ledger.connected(session.channel(), client);
		}
		else {
			this.ledger.refused(new BrokerEvent.ConnectionRefused(connection.getClientID(), session.remoteAddress,
					ConformanceRepairs.refusalReason(code)));
		}
		return this.repairs.connack(connAck, session);
	}



	private int keepAliveInEffect(MqttConnAckMessage connAck, ClientSession session) {
		MqttProperties.MqttProperty<?> serverKeepAlive = connAck.variableHeader()
			.properties()
			.getProperty(MqttProperties.MqttPropertyType.SERVER_KEEP_ALIVE.value());
		if (serverKeepAlive != null && serverKeepAlive.value() instanceof Integer seconds) {
			return seconds;
		}
		return this.keepAliveCeiling.inEffect(session.requestedKeepAlive);
	}

	private static @Nullable InetSocketAddress address(SocketAddress address) {
		return (address instanceof InetSocketAddress inet) ? inet : null;
	}

	private static Transport transport(Channel channel) {
		boolean tls = channel.pipeline().get(SslHandler.class) != null;
		boolean websocket = channel.pipeline().names().stream().anyMatch((name) -> name.toLowerCase().contains("websocket"));
		if (websocket) {
			return tls ? Transport.WEBSOCKET_SSL : Transport.WEBSOCKET;
		}
		return tls ? Transport.MQTT_SSL : Transport.MQTT;
	}

}
