package dev.mqttboot.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mqttboot.client.ConnectionObserver;
import dev.mqttboot.client.MessageHandler;
import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.client.MqttSubscription;
import dev.mqttboot.client.PublishOptions;
import dev.mqttboot.client.ReceivedMessage;
import dev.mqttboot.core.MqttProtocolVersion;

/**
 * A client connection without a broker, for container unit tests: {@link #deliver} hands a message to the
 * subscribed handlers, and every acknowledgement is counted per packet id.
 */
final class FakeConnection implements MqttConnection {

	private final List<MessageHandler> handlers = new CopyOnWriteArrayList<>();

	final Map<Integer, AtomicInteger> acknowledgements = new ConcurrentHashMap<>();

	final List<String> published = new CopyOnWriteArrayList<>();

	private final AtomicInteger nextId = new AtomicInteger();

	/** Deliver a QoS 1 message; @return its packet id */
	int deliver(String topic, String payload) {
		int id = this.nextId.incrementAndGet();
		ReceivedMessage message = new ReceivedMessage(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false,
				false, id, Map.of(), null, null, null);
		for (MessageHandler handler : this.handlers) {
			handler.handle(message, () -> this.acknowledgements.computeIfAbsent(id, (key) -> new AtomicInteger())
				.incrementAndGet());
		}
		return id;
	}

	int acknowledgements(int id) {
		AtomicInteger count = this.acknowledgements.get(id);
		return (count != null) ? count.get() : 0;
	}

	@Override
	public MqttSubscription subscribe(String topicFilter, int qos, MessageHandler handler) {
		this.handlers.add(handler);
		return new MqttSubscription() {
			@Override
			public String topicFilter() {
				return topicFilter;
			}

			@Override
			public int qos() {
				return qos;
			}

			@Override
			public CompletableFuture<Integer> answered() {
				return CompletableFuture.completedFuture(qos);
			}

			@Override
			public void cancel() {
				FakeConnection.this.handlers.remove(handler);
			}
		};
	}

	@Override
	public CompletableFuture<Void> publish(String topic, byte[] payload, PublishOptions options) {
		this.published.add(topic + " " + new String(payload, StandardCharsets.UTF_8));
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public Duration connectionTimeout() {
		return Duration.ofSeconds(10);
	}

	@Override
	public String name() {
		return "default";
	}

	@Override
	public String url() {
		return "tcp://fake:1883";
	}

	@Override
	public boolean targetsEmbeddedBroker() {
		return false;
	}

	@Override
	public String clientId() {
		return "fake";
	}

	@Override
	public MqttProtocolVersion protocolVersion() {
		return MqttProtocolVersion.V3_1_1;
	}

	@Override
	public int keepAliveSeconds() {
		return 60;
	}

	@Override
	public int defaultQos() {
		return 1;
	}

	@Override
	public int maxPayloadSize() {
		return 1024 * 1024;
	}

	@Override
	public boolean isConnected() {
		return true;
	}

	@Override
	public int inflight() {
		return 0;
	}

	@Override
	public List<SubscriptionStatus> subscriptions() {
		return List.of();
	}

	@Override
	public void addObserver(ConnectionObserver observer) {
	}

	@Override
	public Optional<Disconnect> lastDisconnect() {
		return Optional.empty();
	}

}
