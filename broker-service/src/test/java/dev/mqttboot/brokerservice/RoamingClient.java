package dev.mqttboot.brokerservice;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import static org.awaitility.Awaitility.await;

/**
 * A real MQTT client (Paho) that knows every node of a cluster and, when its node goes away, reconnects to the next
 * one that answers (Paho's server list and automatic reconnect), the way a client behind a list of broker addresses
 * or a load balancer does. As a subscriber it subscribes again on every connection (a session that lands on another
 * node is new there); as a publisher it publishes a steady stream and records which messages the broker
 * acknowledged.
 */
final class RoamingClient implements AutoCloseable {

	private final MqttAsyncClient client;

	private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();

	private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

	private final AtomicInteger connections = new AtomicInteger();

	private volatile String filter;

	private volatile String serverUri;

	private ScheduledExecutorService publisher;

	private RoamingClient(String clientId, String firstUri) throws MqttException {
		this.client = new MqttAsyncClient(firstUri, clientId, new MemoryPersistence());
		this.client.setCallback(new MqttCallbackExtended() {

			@Override
			public void connectComplete(boolean reconnect, String serverURI) {
				RoamingClient.this.serverUri = serverURI;
				RoamingClient.this.connections.incrementAndGet();
				String filter = RoamingClient.this.filter;
				if (filter != null) {
					try {
						RoamingClient.this.client.subscribe(filter, 1);
					}
					catch (MqttException ex) {
						// lost again already: the next connection subscribes
					}
				}
			}

			@Override
			public void connectionLost(Throwable cause) {
			}

			@Override
			public void messageArrived(String topic, MqttMessage message) {
				RoamingClient.this.received
					.computeIfAbsent(new String(message.getPayload(), StandardCharsets.UTF_8),
							(key) -> new AtomicInteger())
					.incrementAndGet();
			}

			@Override
			public void deliveryComplete(IMqttDeliveryToken token) {
			}

		});
	}

	/**
	 * Connect to the first node of {@code uris} that answers.
	 * @param clientId the client id
	 * @param cleanSession whether the session ends with the connection
	 * @param uris every node's MQTT address, in the order to try them
	 * @return the connected client
	 */
	static RoamingClient connect(String clientId, boolean cleanSession, String... uris) throws MqttException {
		RoamingClient roaming = new RoamingClient(clientId, uris[0]);
		MqttConnectOptions options = new MqttConnectOptions();
		options.setServerURIs(uris);
		options.setCleanSession(cleanSession);
		options.setAutomaticReconnect(true);
		options.setMaxReconnectDelay(1000);
		options.setKeepAliveInterval(5);
		options.setConnectionTimeout(10);
		options.setMaxInflight(1000);
		roaming.client.connect(options).waitForCompletion(60_000);
		return roaming;
	}

	/** Subscribe at QoS 1 now and on every later connection. */
	void subscribe(String filter) throws MqttException {
		this.filter = filter;
		this.client.subscribe(filter, 1).waitForCompletion(60_000);
	}

	/**
	 * Publish {@code prefix + n} at QoS 1 to {@code topic}, one every {@code periodMillis}, at most 20
	 * unacknowledged, until {@link #stopPublishing()}. While disconnected it skips its turns; a message whose
	 * delivery failed is not acknowledged and not sent again (the next one gets the next number).
	 */
	void startPublishing(String topic, String prefix, long periodMillis) {
		Semaphore window = new Semaphore(20);
		AtomicInteger next = new AtomicInteger();
		this.publisher = Executors.newSingleThreadScheduledExecutor();
		this.publisher.scheduleAtFixedRate(() -> {
			if (!this.client.isConnected() || !window.tryAcquire()) {
				return;
			}
			String payload = prefix + next.getAndIncrement();
			MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
			message.setQos(1);
			try {
				this.client.publish(topic, message, null, new IMqttActionListener() {

					@Override
					public void onSuccess(IMqttToken token) {
						RoamingClient.this.acknowledged.add(payload);
						window.release();
					}

					@Override
					public void onFailure(IMqttToken token, Throwable ex) {
						window.release();
					}

				});
			}
			catch (MqttException ex) {
				window.release();
			}
		}, 0, periodMillis, TimeUnit.MILLISECONDS);
	}

	/** Stop publishing and wait for the outstanding acknowledgements (or their failure). */
	void stopPublishing() throws InterruptedException {
		if (this.publisher != null) {
			this.publisher.shutdown();
			this.publisher.awaitTermination(10, TimeUnit.SECONDS);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.client.getPendingDeliveryTokens().length == 0);
	}

	/** @return the messages the broker acknowledged (PUBACK) */
	Set<String> acknowledged() {
		return Set.copyOf(this.acknowledged);
	}

	/** @return how many times each payload arrived */
	Map<String, Integer> received() {
		Map<String, Integer> counts = new java.util.HashMap<>();
		this.received.forEach((payload, count) -> counts.put(payload, count.get()));
		return counts;
	}

	/** @return the node it is connected to now (or was last) */
	String serverUri() {
		return this.serverUri;
	}

	/** @return how many connections it made, the first included */
	int connections() {
		return this.connections.get();
	}

	@Override
	public void close() throws MqttException {
		if (this.publisher != null) {
			this.publisher.shutdownNow();
		}
		try {
			this.client.disconnectForcibly(1000, 1000);
		}
		catch (MqttException ex) {
			// gone already
		}
		this.client.close(true);
	}

}
