package dev.mqttboot.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.PublishOptions;
import io.netty.channel.EventLoopGroup;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenarios 7 and 8: the starter's own cost, against one broker. Each is measured next to raw Eclipse Paho v3 doing
 * the same work on the same broker in the same JVM: {@code @MqttListener} dispatch (conversion to {@code String} or a
 * JSON record included) against a Paho callback that converts the same way, and {@code MqttTemplate} publishing
 * against Paho's {@code publish}, both with the same 100-message window.
 */
final class StarterScenarios implements AutoCloseable {

	static final String STARTER = "starter";

	static final String RAW_PAHO = "raw Paho";

	private static final int WINDOW = 100;

	private final EventLoopGroup group;

	private final int port;

	private final Samples samples;

	private final ConfigurableApplicationContext app;

	private final JsonMapper jsonMapper;

	StarterScenarios(EventLoopGroup group, int port, Samples samples) throws Exception {
		this.group = group;
		this.port = port;
		this.samples = samples;
		this.app = new SpringApplicationBuilder(StarterBenchApp.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.application.name=bench-starter",
					"mqtt.client.url=tcp://127.0.0.1:" + port, "mqtt.client.client-id=bench-starter",
					"mqtt.client.max-inflight=" + WINDOW, "logging.level.root=warn")
			.run();
		this.jsonMapper = this.app.getBean(JsonMapper.class);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		MqttConnections connections = this.app.getBean(MqttConnections.class);
		while (!connections.get(MqttConnections.DEFAULT).isConnected() && System.nanoTime() < deadline) {
			TimeUnit.MILLISECONDS.sleep(20);
		}
		// Let the listeners' subscriptions be granted.
		TimeUnit.SECONDS.sleep(1);
	}

	/**
	 * Scenario 7: {@code count} messages from the load generator to one consumer, the starter's listener and raw Paho
	 * in turn (which goes first alternates between runs), each on its own topic so that neither sees the other's load.
	 */
	void listenerDispatch(int qos, PayloadFormat format, int count, String name, boolean rawFirst) throws Exception {
		String kind = (format == PayloadFormat.JSON) ? "json" : "string";
		if (rawFirst) {
			rawDispatch(qos, format, count, name, "raw/7/" + kind + "/" + qos);
		}
		Tally ours = new Tally();
		StarterBenchApp.Listeners listeners = this.app.getBean(StarterBenchApp.Listeners.class);
		listeners.sink(ours::record);
		drive("starter/7/" + kind + "/" + qos, qos, format, count, ours, name, STARTER);
		listeners.sink((sequence) -> {
		});
		if (!rawFirst) {
			rawDispatch(qos, format, count, name, "raw/7/" + kind + "/" + qos);
		}
	}

	/** Raw Paho: a callback that converts the payload as the listener does. */
	private void rawDispatch(int qos, PayloadFormat format, int count, String name, String topic) throws Exception {
		Tally raw = new Tally();
		MqttAsyncClient paho = pahoClient("bench-raw-consumer", new Callback((t, message) -> {
			raw.record(decode(format, message.getPayload()));
		}));
		paho.subscribe(topic, qos).waitForCompletion(10_000);
		drive(topic, qos, format, count, raw, name, RAW_PAHO);
		paho.disconnect().waitForCompletion(10_000);
		paho.close();
	}

	private long decode(PayloadFormat format, byte[] payload) {
		if (format == PayloadFormat.JSON) {
			return this.jsonMapper.readValue(payload, StarterBenchApp.Reading.class).sequence();
		}
		return PayloadFormat.textSequence(new String(payload, StandardCharsets.UTF_8));
	}

	private void drive(String topic, int qos, PayloadFormat format, int count, Tally tally, String name, String target)
			throws Exception {
		Publisher publisher = new Publisher(0, topic, qos, count, WINDOW, format);
		BenchClient client = BenchClient.connect(this.group, this.port, "bench-producer", 60, publisher::onPacket);
		publisher.bind(client);
		long started = System.nanoTime();
		publisher.start();
		BrokerScenarios.awaitDelivery(tally::distinct, count, List.of(publisher));
		double seconds = (tally.lastArrivalNanos() - started) / 1e9;
		this.samples.add(target, name, "received msg/s", tally.distinct() / seconds);
		this.samples.add(target, name, "loss %", 100.0 * (count - tally.distinct()) / count);
		this.samples.add(target, name, "duplicates", tally.duplicates());
		client.close();
	}

	/**
	 * Scenario 8: {@code count} publishes of 64 bytes with at most {@link #WINDOW} awaiting acknowledgement, through
	 * the template and through raw Paho in turn (which goes first alternates between runs).
	 */
	void templatePublish(int qos, int count, String name, boolean rawFirst) throws Exception {
		if (rawFirst) {
			rawPublish(qos, count, name);
		}
		byte[] payload = new byte[PayloadFormat.BYTES];
		MqttOperations template = this.app.getBean(MqttOperations.class);
		PublishOptions options = PublishOptions.qos(qos);
		publishAll(count, name, STARTER, (done) -> template.publish("starter/8/" + qos, payload, options)
			.whenComplete((result, failure) -> done.accept(failure == null)));
		if (!rawFirst) {
			rawPublish(qos, count, name);
		}
	}

	private void rawPublish(int qos, int count, String name) throws Exception {
		byte[] payload = new byte[PayloadFormat.BYTES];
		String topic = "raw/8/" + qos;
		MqttAsyncClient paho = pahoClient("bench-raw-publisher", new Callback((t, message) -> {
		}));
		publishAll(count, name, RAW_PAHO, (done) -> {
			try {
				paho.publish(topic, payload, qos, false, null, new IMqttActionListener() {
					@Override
					public void onSuccess(IMqttToken token) {
						done.accept(true);
					}

					@Override
					public void onFailure(IMqttToken token, Throwable cause) {
						done.accept(false);
					}
				});
			}
			catch (Exception ex) {
				done.accept(false);
			}
		});
		paho.disconnect().waitForCompletion(10_000);
		paho.close();
	}

	private void publishAll(int count, String name, String target, Consumer<Consumer<Boolean>> publishOne)
			throws Exception {
		Semaphore window = new Semaphore(WINDOW);
		AtomicInteger failures = new AtomicInteger();
		long started = System.nanoTime();
		long deadline = started + TimeUnit.SECONDS.toNanos(BrokerScenarios.SCENARIO_TIMEOUT_SECONDS);
		int sent = 0;
		for (; sent < count && System.nanoTime() < deadline; sent++) {
			if (!window.tryAcquire(10, TimeUnit.SECONDS)) {
				break;
			}
			publishOne.accept((success) -> {
				if (!success) {
					failures.incrementAndGet();
				}
				window.release();
			});
		}
		boolean allDone = window.tryAcquire(WINDOW, 30, TimeUnit.SECONDS);
		double seconds = (System.nanoTime() - started) / 1e9;
		int completed = allDone ? sent : sent - WINDOW;
		this.samples.add(target, name, "acknowledged msg/s", (completed - failures.get()) / seconds);
		this.samples.add(target, name, "failed or not sent", count - completed + failures.get());
		if (allDone) {
			window.release(WINDOW);
		}
	}

	private MqttAsyncClient pahoClient(String clientId, MqttCallback callback) throws Exception {
		MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + this.port, clientId, new MemoryPersistence());
		client.setCallback(callback);
		MqttConnectOptions options = new MqttConnectOptions();
		options.setCleanSession(true);
		options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
		options.setMaxInflight(WINDOW);
		options.setKeepAliveInterval(60);
		client.connect(options).waitForCompletion(10_000);
		return client;
	}

	@Override
	public void close() {
		this.app.close();
	}

	/** Paho's callback with only message arrival of interest. */
	private record Callback(java.util.function.BiConsumer<String, MqttMessage> onMessage) implements MqttCallback {

		@Override
		public void connectionLost(Throwable cause) {
		}

		@Override
		public void messageArrived(String topic, MqttMessage message) {
			this.onMessage.accept(topic, message);
		}

		@Override
		public void deliveryComplete(IMqttDeliveryToken token) {
		}

	}

}
