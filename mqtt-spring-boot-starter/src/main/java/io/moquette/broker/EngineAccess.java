package io.moquette.broker;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.mqttboot.broker.BrokerSubscription;

import io.moquette.broker.config.IConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.subscriptions.CTrieSubscriptionDirectory;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.util.AttributeKey;

/**
 * The one place where MQTT Boot reaches inside Moquette 0.17 (it lives in Moquette's package for that reason).
 * <p>
 * Moquette builds each connection's Netty pipeline itself and offers no hook into it. MQTT Boot needs one: a
 * protocol guard in front of the engine, the keep-alive ceiling, TLS from Spring SSL bundles and the real reason for
 * every disconnect. So Moquette is started with all of its own listeners disabled and MQTT Boot binds the ports,
 * ending each pipeline with the engine's connection handler obtained here. Verified against Moquette 0.17 only; a
 * change in these internals fails at broker start with a clear message, never silently.
 */
public final class EngineAccess {

	private static final AttributeKey<Object> CONNECTION = AttributeKey.valueOf("connection");

	private EngineAccess() {
	}

	/**
	 * Create the engine's MQTT connection handler (shareable between channels) for a started server.
	 * @param server a server started with no listeners
	 * @param config the configuration it was started with
	 * @param authenticator the authenticator checking CONNECT credentials
	 * @return the handler that must end every MQTT pipeline
	 */
	public static ChannelHandler connectionHandler(Server server, IConfig config, IAuthenticator authenticator) {
		SessionRegistry sessions = field(server, "sessions", SessionRegistry.class);
		PostOffice postOffice = postOffice(server);
		BrokerConfiguration brokerConfiguration = new BrokerConfiguration(config);
		return new NewNettyMQTTHandler(
				new MQTTConnectionFactory(brokerConfiguration, authenticator, sessions, postOffice));
	}

	/**
	 * Whether the engine has marked a channel's connection connected. Moquette does that in a listener on the
	 * CONNACK write, and refuses (closing the connection) any SUBSCRIBE or PUBLISH it reads before.
	 * @param channel a client channel
	 * @return {@code true} once the engine accepts packets after CONNECT
	 */
	public static boolean isConnected(Channel channel) {
		Object connection = channel.attr(CONNECTION).get();
		return connection instanceof MQTTConnection mqttConnection && mqttConnection.isConnected();
	}

	/**
	 * How many commands wait in each of the engine's session-loop queues, for backpressure: Moquette reads from every
	 * socket as fast as it can and drops a command (a QoS 0 message, or a QoS 1/2 one left unacknowledged) when the
	 * queue of the loop it goes to is full.
	 * @param server a started server
	 * @return the current length of each session-loop queue
	 */
	public static IntSupplier[] sessionQueueLengths(Server server) {
		SessionEventLoopGroup loops = field(PostOffice.class, postOffice(server), "sessionLoops",
				SessionEventLoopGroup.class);
		BlockingQueue<?>[] queues = field(SessionEventLoopGroup.class, loops, "sessionQueues", BlockingQueue[].class);
		IntSupplier[] lengths = new IntSupplier[queues.length];
		for (int i = 0; i < queues.length; i++) {
			lengths[i] = queues[i]::size;
		}
		return lengths;
	}

	/**
	 * The engine's subscriptions, as its repository holds them (connected clients' and persistent sessions').
	 * @param server a started server
	 * @return a view that lists the subscriptions each time it is asked
	 */
	public static Supplier<List<BrokerSubscription>> subscriptions(Server server) {
		ISubscriptionsRepository repository = field(CTrieSubscriptionDirectory.class, subscriptionDirectory(server),
				"subscriptionsRepository", ISubscriptionsRepository.class);
		return () -> repository.listAllSubscriptions()
			.stream()
			.map((subscription) -> new BrokerSubscription(subscription.getClientId(),
					subscription.getTopicFilter().toString(), subscription.getRequestedQos().value()))
			.toList();
	}

	/**
	 * How many subscriptions the engine's subscription tree holds.
	 * @param server a started server
	 * @return a view that counts them each time it is asked
	 */
	public static IntSupplier subscriptionCount(Server server) {
		return subscriptionDirectory(server)::size;
	}

	private static PostOffice postOffice(Server server) {
		return field(server, "dispatcher", PostOffice.class);
	}

	private static CTrieSubscriptionDirectory subscriptionDirectory(Server server) {
		return field(PostOffice.class, postOffice(server), "subscriptions", CTrieSubscriptionDirectory.class);
	}

	/**
	 * The write-flush policy the engine expects ({@code 0} = flush on every read completion, {@code -1} = never
	 * buffer, above 0 = flush interval in milliseconds).
	 * @param config the engine configuration
	 * @return the flush interval
	 */
	public static int bufferFlushMillis(IConfig config) {
		return new BrokerConfiguration(config).getBufferFlushMillis();
	}

	/**
	 * Stop the engine. Its own (never used) Netty listeners are released first without Netty's default 2 s quiet
	 * period, so a graceful shutdown is not slowed by event loops that never ran.
	 * @param server a started server
	 */
	public static void stop(Server server) {
		NewNettyAcceptor acceptor = field(Server.class, server, "acceptor", NewNettyAcceptor.class);
		for (String name : new String[] { "bossGroup", "workerGroup" }) {
			EventLoopGroup group = field(NewNettyAcceptor.class, acceptor, name, EventLoopGroup.class);
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
		}
		server.stopServer();
	}

	private static <T> T field(Server server, String name, Class<T> type) {
		return field(Server.class, server, name, type);
	}

	private static <T> T field(Class<?> owner, Object target, String name, Class<T> type) {
		try {
			Field field = owner.getDeclaredField(name);
			field.setAccessible(true);
			Object value = field.get(target);
			if (!type.isInstance(value)) {
				throw new IllegalStateException(
						"Moquette " + owner.getSimpleName() + "." + name + " is not a started " + type.getSimpleName());
			}
			return type.cast(value);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("This Moquette version is not supported: " + owner.getSimpleName() + "." + name
					+ " is missing (MQTT Boot needs Moquette 0.17)", ex);
		}
	}

}
