package dev.mqttboot.broker.artemis;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.mqttboot.broker.BrokerEvent;
import io.netty.channel.ChannelPipeline;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.BaseInterceptor;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTConnection;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyServerConnection;
import org.apache.activemq.artemis.core.server.ActiveMQComponent;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.routing.RoutingHandler;
import org.apache.activemq.artemis.spi.core.protocol.ConnectionEntry;
import org.apache.activemq.artemis.spi.core.protocol.ProtocolManager;
import org.apache.activemq.artemis.spi.core.protocol.ProtocolManagerFactory;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.apache.activemq.artemis.spi.core.remoting.Connection;
import org.jspecify.annotations.Nullable;

/**
 * A protocol for the connections no other protocol recognises, so that they are closed at once. Artemis 2.53 hands a
 * connection whose first bytes match no enabled protocol to none, and leaves it open for good; listed after MQTT on
 * the starter's acceptors, this one takes such connections (it accepts without a handshake) and closes them, as
 * Moquette's guard closes a connection whose first packet is not CONNECT.
 */
@SuppressWarnings({ "rawtypes", "unchecked" })
final class UnrecognisedConnections implements ProtocolManagerFactory<BaseInterceptor> {

	/** The name to list in an acceptor's {@code protocols}. */
	static final String PROTOCOL = "MQTTBOOT-UNRECOGNISED";

	private final Consumer<BrokerEvent> events;

	UnrecognisedConnections(Consumer<BrokerEvent> events) {
		this.events = events;
	}

	@Override
	public ProtocolManager createProtocolManager(ActiveMQServer server, Map<String, Object> parameters,
			List<BaseInterceptor> incomingInterceptors, List<BaseInterceptor> outgoingInterceptors) {
		return new Closer();
	}

	@Override
	public List<BaseInterceptor> filterInterceptors(List<BaseInterceptor> interceptors) {
		return List.of();
	}

	@Override
	public String[] getProtocols() {
		return new String[] { PROTOCOL };
	}

	@Override
	public String getModuleName() {
		return "mqtt-spring-boot-starter";
	}

	@Override
	public void loadProtocolServices(ActiveMQServer server, List<ActiveMQComponent> services) {
	}

	@Override
	public void updateProtocolServices(ActiveMQServer server, List<ActiveMQComponent> services) {
	}

	/** Closes every connection it is given, and reports it as a protocol violation. */
	private final class Closer implements ProtocolManager<BaseInterceptor, RoutingHandler> {

		@Override
		public ProtocolManagerFactory<BaseInterceptor> getFactory() {
			return UnrecognisedConnections.this;
		}

		@Override
		public void updateInterceptors(List<BaseInterceptor> incoming, List<BaseInterceptor> outgoing) {
		}

		@Override
		public @Nullable ConnectionEntry createConnectionEntry(Acceptor acceptorUsed, Connection connection) {
			try {
				return new ConnectionEntry(new MQTTConnection(connection), null, System.currentTimeMillis(), -1);
			}
			catch (Exception ex) {
				connection.forceClose();
				return null;
			}
		}

		@Override
		public void handleBuffer(org.apache.activemq.artemis.spi.core.protocol.RemotingConnection connection,
				ActiveMQBuffer buffer) {
		}

		@Override
		public void addChannelHandlers(ChannelPipeline pipeline) {
		}

		@Override
		public boolean isProtocol(byte[] array) {
			return false;
		}

		@Override
		public boolean acceptsNoHandshake() {
			return true;
		}

		@Override
		public void handshake(NettyServerConnection connection, ActiveMQBuffer buffer) {
			InetSocketAddress remote = (connection.getChannel().remoteAddress() instanceof InetSocketAddress inet)
					? inet : null;
			UnrecognisedConnections.this.events.accept(
					new BrokerEvent.ProtocolViolation(null, remote, "first packet is not CONNECT"));
			connection.getChannel().close();
		}

		@Override
		public List<String> websocketSubprotocolIdentifiers() {
			return List.of();
		}

		@Override
		public void setAnycastPrefix(String anycastPrefix) {
		}

		@Override
		public void setMulticastPrefix(String multicastPrefix) {
		}

		@Override
		public Map<SimpleString, RoutingType> getPrefixes() {
			return Map.of();
		}

		@Override
		public void setSecurityDomain(String securityDomain) {
		}

		@Override
		public @Nullable String getSecurityDomain() {
			return null;
		}

		@Override
		public @Nullable RoutingHandler getRoutingHandler() {
			return null;
		}

	}

}
