package io.moquette.broker;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;


import io.moquette.broker.config.IConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.subscriptions.Subscription;
import io.moquette.broker.subscriptions.CTrieSubscriptionDirectory;
import io.moquette.broker.subscriptions.ISubscriptionsDirectory;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.persistence.H2QueueRepository;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.AttributeKey;

import org.jspecify.annotations.NullMarked;

/**
 * The one place where MQTT Boot reaches inside Moquette 0.17 (it lives in Moquette's package for that reason).
 * <p>
 * Moquette builds each connection's Netty pipeline itself and offers no hook into it. MQTT Boot needs one: a
 * protocol guard in front of the engine, the keep-alive ceiling, TLS from Spring SSL bundles and the real reason for
 * every disconnect. So Moquette is started with all of its own listeners disabled and MQTT Boot binds the ports,
 * ending each pipeline with the engine's connection handler obtained here. Verified against Moquette 0.17 only; a
 * change in these internals fails at broker start with a clear message, never silently.
 */
@NullMarked
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
	public static Supplier<List<Subscription>> subscriptions(Server server) {
		ISubscriptionsRepository repository = field(CTrieSubscriptionDirectory.class, subscriptionDirectory(server),
				"subscriptionsRepository", ISubscriptionsRepository.class);
		return () -> List.copyOf(repository.listAllSubscriptions());
	}

	/**
	 * How many subscriptions the engine's subscription tree holds.
	 * @param server a started server
	 * @return a view that counts them each time it is asked
	 */
	public static IntSupplier subscriptionCount(Server server) {
		return subscriptionDirectory(server)::size;
	}

	/**
	 * Put decorators of ours in front of the engine's subscription directory and retained store, the two places where
	 * it decides who receives a message. Call once, right after start and before any client connects.
	 * @param server a started server
	 * @param subscriptions wraps the directory the engine matches published topics against
	 * @param retained wraps the store the engine replays retained messages from
	 */
	public static void decorate(Server server, UnaryOperator<ISubscriptionsDirectory> subscriptions,
			UnaryOperator<IRetainedRepository> retained) {
		PostOffice postOffice = postOffice(server);
		replace(postOffice, "subscriptions", ISubscriptionsDirectory.class, subscriptions);
		replace(postOffice, "retainedRepository", IRetainedRepository.class, retained);
	}

	/**
	 * Store a retained message as the engine stores the retained QoS 1/2 ones. Runs on the publisher's session loop,
	 * after whatever that client sent before, so the last retained message of a topic wins as it would in the engine.
	 * @param server a started server
	 * @param clientId the publishing client (its session loop keeps the order)
	 * @param topic the topic
	 * @param payload the payload, not empty
	 * @param qos the QoS of the publish
	 * @return whether the engine took the command (its session-loop queue was not full)
	 */
	public static boolean storeRetained(Server server, String clientId, String topic, byte[] payload, MqttQoS qos) {
		IRetainedRepository store = field(PostOffice.class, postOffice(server), "retainedRepository",
				IRetainedRepository.class);
		MqttPublishMessage message = new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos,
				true, 0), new MqttPublishVariableHeader(topic, 0), Unpooled.wrappedBuffer(payload));
		return postOffice(server).routeCommand(clientId, "store retained", () -> {
			store.retain(new Topic(topic), message);
			return null;
		}).isSuccess();
	}

	/**
	 * A session's in-flight window and queue length, read on the session's own loop (where the engine changes them).
	 * @param server a started server
	 * @param clientId the client
	 * @param queueLength the length of a session's queue (the engine's queues do not tell)
	 * @return {in flight, queued}, or {@code null} when the engine has no session for that client
	 */
	public static CompletableFuture<long[]> backlog(Server server, String clientId,
			ToLongFunction<Object> queueLength) {
		SessionRegistry registry = field(server, "sessions", SessionRegistry.class);
		CompletableFuture<long[]> result = new CompletableFuture<>();
		PostOffice.RouteResult routed = postOffice(server).routeCommand(clientId, "read backlog", () -> {
			Session session = registry.retrieve(clientId);
			if (session == null) {
				result.complete(null);
				return null;
			}
			Map<?, ?> inflight = field(Session.class, session, "inflightWindow", Map.class);
			Object queue = field(Session.class, session, "sessionQueue", SessionMessageQueue.class);
			long queued = queueLength.applyAsLong(queue);
			result.complete(new long[] { inflight.size(), queued });
			return null;
		});
		if (!routed.isSuccess()) {
			result.completeExceptionally(new IllegalStateException("the engine's session loop is full"));
		}
		return result;
	}

	/**
	 * What a reconnecting persistent session still owes its client: the unacknowledged QoS 1/2 PUBLISH packets (DUP
	 * set) and the PUBREL packets of its in-flight window, in the order the caller gives their packet ids. Read on
	 * the session's own loop, which also moves the new connection's packet ids past the last of them, so new
	 * deliveries never reuse an id that is still in flight (the engine would otherwise replace, and lose, the
	 * unacknowledged message).
	 * @param server a started server
	 * @param channel the new connection, its session bound, its CONNACK not yet written
	 * @param sendOrder puts the in-flight packet ids (the engine keeps them unordered) in the order they were sent
	 * @return the packets to send right after the CONNACK (empty when nothing is in flight)
	 */
	public static CompletableFuture<List<MqttMessage>> unacknowledged(Server server, Channel channel,
			Function<Collection<Integer>, List<Integer>> sendOrder) {
		CompletableFuture<List<MqttMessage>> packets = new CompletableFuture<>();
		Object attribute = channel.attr(CONNECTION).get();
		String clientId = NettyUtils.clientID(channel);
		if (!(attribute instanceof MQTTConnection connection) || clientId == null) {
			packets.complete(List.of());
			return packets;
		}
		PostOffice.RouteResult routed = postOffice(server).routeCommand(clientId, "redeliver in-flight", () -> {
			try {
				packets.complete(inflight(connection, sendOrder));
			}
			catch (RuntimeException ex) {
				packets.completeExceptionally(ex);
			}
			return null;
		});
		if (!routed.isSuccess()) {
			packets.completeExceptionally(new IllegalStateException("the session loop's queue is full"));
		}
		return packets;
	}

	private static List<MqttMessage> inflight(MQTTConnection connection,
			Function<Collection<Integer>, List<Integer>> sendOrder) {
		Session session = field(MQTTConnection.class, connection, "bindedSession", Session.class);
		@SuppressWarnings("unchecked")
		Map<Integer, SessionRegistry.EnqueuedMessage> window = field(Session.class, session, "inflightWindow",
				Map.class);
		if (window.isEmpty()) {
			return List.of();
		}
		List<Integer> ids = sendOrder.apply(window.keySet());
		List<MqttMessage> packets = new ArrayList<>(ids.size());
		for (int id : ids) {
			SessionRegistry.EnqueuedMessage message = window.get(id);
			if (message instanceof SessionRegistry.PublishedMessage published) {
				ByteBuf payload = published.getPayload().retainedDuplicate();
				packets.add(new MqttPublishMessage(
						new MqttFixedHeader(MqttMessageType.PUBLISH, true, published.getPublishingQos(), false, 0),
						new MqttPublishVariableHeader(published.getTopic().toString(), id), payload));
			}
			else {
				packets.add(new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBREL, false, MqttQoS.AT_LEAST_ONCE,
						false, 2), MqttMessageIdVariableHeader.from(id)));
			}
		}
		AtomicInteger lastPacketId = field(MQTTConnection.class, connection, "lastPacketId", AtomicInteger.class);
		lastPacketId.set(ids.get(ids.size() - 1));
		return packets;
	}

	/**
	 * Set how often the engine resends unacknowledged QoS 1/2 messages on a live connection. The engine installs a
	 * resender with a fixed 5 s period when it completes a connection; it is replaced, or removed for {@code 0}. The
	 * engine's own in-flight timeout is also 5 s, so a message is resent at most once per period and never sooner than
	 * 5 s after it was sent.
	 * @param pipeline a connection the engine has completed
	 * @param periodMillis the period, or {@code 0} to resend only when a persistent session reconnects
	 */
	public static void redeliveryInterval(ChannelPipeline pipeline, long periodMillis) {
		if (pipeline.get(INFLIGHT_RESENDER) == null) {
			return;
		}
		if (periodMillis <= 0) {
			pipeline.remove(INFLIGHT_RESENDER);
		}
		else {
			pipeline.replace(INFLIGHT_RESENDER, INFLIGHT_RESENDER,
					new InflightResender(periodMillis, TimeUnit.MILLISECONDS));
		}
	}

	private static final String INFLIGHT_RESENDER = "inflightResender";

	/**
	 * Whether the engine keeps persistent sessions' queues in its H2 store (rather than in memory).
	 * @param server a started server
	 * @return {@code true} for the H2 queue store
	 */
	public static boolean queuesInStore(Server server) {
		SessionRegistry registry = field(server, "sessions", SessionRegistry.class);
		return field(SessionRegistry.class, registry, "queueRepository", IQueueRepository.class)
			instanceof H2QueueRepository;
	}

	/**
	 * Decorate the queue every persistent session holds beyond its in-flight window: at once for the sessions
	 * restored from the store, and for every persistent session's queue the engine creates from now on. A clean
	 * session gets its queue (in memory) from the engine directly, and its decoration through
	 * {@link #sessionConnected}.
	 * @param server a started server, no client connected yet
	 * @param decoration the decoration of a persistent session's queue; answering the queue itself when it is
	 * decorated already
	 */
	public static void decorateQueues(Server server,
			UnaryOperator<SessionMessageQueue<SessionRegistry.EnqueuedMessage>> decoration) {
		SessionRegistry registry = field(server, "sessions", SessionRegistry.class);
		IQueueRepository repository = field(SessionRegistry.class, registry, "queueRepository",
				IQueueRepository.class);
		set(SessionRegistry.class, registry, "queueRepository", new DecoratedQueueRepository(repository, decoration));
		@SuppressWarnings("unchecked")
		Map<String, Session> pool = field(SessionRegistry.class, registry, "pool", Map.class);
		pool.values().forEach((session) -> replaceQueue(session, decoration));
	}

	/**
	 * Decorate the queue of a connection's session (see {@link #decorateQueues}) and store a persistent session
	 * again if the caller asks, both on the session's own loop, where the engine uses them.
	 * @param server a started server
	 * @param channel a connection whose session the engine has bound
	 * @param decoration the decoration of its queue (a session the engine restored or gave a persistent queue has its
	 * decoration already)
	 * @param toStore for a persistent session, what to store for it now, if anything
	 */
	public static void sessionConnected(Server server, Channel channel,
			UnaryOperator<SessionMessageQueue<SessionRegistry.EnqueuedMessage>> decoration,
			Function<ISessionsRepository.SessionData, Optional<ISessionsRepository.SessionData>> toStore) {
		Object attribute = channel.attr(CONNECTION).get();
		String clientId = NettyUtils.clientID(channel);
		if (!(attribute instanceof MQTTConnection connection) || clientId == null) {
			return;
		}
		ISessionsRepository sessions = field(SessionRegistry.class, field(server, "sessions", SessionRegistry.class),
				"sessionsRepository", ISessionsRepository.class);
		postOffice(server).routeCommand(clientId, "session connected", () -> {
			Session session = field(MQTTConnection.class, connection, "bindedSession", Session.class);
			replaceQueue(session, decoration);
			if (!session.isClean()) {
				toStore.apply(session.getSessionData()).ifPresent(sessions::saveSession);
			}
			return null;
		});
	}

	/** Give a session the decorated queue; a decoration that answers the queue itself leaves it in place. */
	private static void replaceQueue(Session session,
			UnaryOperator<SessionMessageQueue<SessionRegistry.EnqueuedMessage>> decoration) {
		@SuppressWarnings("unchecked")
		SessionMessageQueue<SessionRegistry.EnqueuedMessage> queue = field(Session.class, session, "sessionQueue",
				SessionMessageQueue.class);
		SessionMessageQueue<SessionRegistry.EnqueuedMessage> decorated = decoration.apply(queue);
		if (decorated != queue) {
			set(Session.class, session, "sessionQueue", decorated);
		}
	}

	/** The engine's queue repository, handing out decorated queues. */
	private record DecoratedQueueRepository(IQueueRepository repository,
			UnaryOperator<SessionMessageQueue<SessionRegistry.EnqueuedMessage>> decoration) implements IQueueRepository {

		@Override
		public Set<String> listQueueNames() {
			return this.repository.listQueueNames();
		}

		@Override
		public boolean containsQueue(String clientId) {
			return this.repository.containsQueue(clientId);
		}

		@Override
		public SessionMessageQueue<SessionRegistry.EnqueuedMessage> getOrCreateQueue(String clientId) {
			return this.decoration.apply(this.repository.getOrCreateQueue(clientId));
		}

		@Override
		public void close() {
			this.repository.close();
		}

	}

	private static <T> void replace(Object target, String name, Class<T> type, UnaryOperator<T> decorator) {
		set(target.getClass(), target, name, decorator.apply(field(target.getClass(), target, name, type)));
	}

	private static void set(Class<?> owner, Object target, String name, Object value) {
		try {
			Field field = owner.getDeclaredField(name);
			field.setAccessible(true);
			field.set(target, value);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("This Moquette version is not supported: " + owner.getSimpleName() + "."
					+ name + " cannot be replaced", ex);
		}
	}

	private static PostOffice postOffice(Server server) {
		return field(server, "dispatcher", PostOffice.class);
	}

	/** The engine's own directory, as its session registry holds it (the post office's may be decorated). */
	private static CTrieSubscriptionDirectory subscriptionDirectory(Server server) {
		return field(SessionRegistry.class, field(server, "sessions", SessionRegistry.class), "subscriptionsDirectory",
				CTrieSubscriptionDirectory.class);
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
