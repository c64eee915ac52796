package dev.mqttboot.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.test.MqttTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.SendTo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @MqttListener} methods in a real application on the embedded broker, fed by a Paho client.
 */
class MqttListenerTests {

	private static ConfigurableApplicationContext context;

	private static MqttTestClient publisher;

	private static Recorder recorder;

	@BeforeAll
	static void start() throws Exception {
		context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0", "spring.main.banner-mode=off",
					"test.topic=placeholder/topic", "mqtt.listener.dead-letter-topic=dlq")
			.run();
		recorder = context.getBean(Recorder.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> context.getBean(MqttConnections.class).get("default").isConnected());
		int port = context.getEnvironment().getProperty("local.mqtt.port", Integer.class);
		publisher = MqttTestClient.connect("tcp://127.0.0.1:" + port, "listener-test-publisher");
		// Subscriptions are made asynchronously after connect: wait until a probe arrives.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			publisher.publish("probe", "p", 1, false);
			assertThat(recorder.get("probe")).isNotEmpty();
		});
	}

	@AfterAll
	static void stop() throws Exception {
		if (publisher != null) {
			publisher.close();
		}
		if (context != null) {
			context.close();
		}
	}

	private static void publish(String topic, String payload) throws Exception {
		publisher.publish(topic, payload, 1, false);
	}

	@Test
	void typedTopicVariablesJsonPayloadsAndHeadersAreBound() throws Exception {
		UUID device = UUID.randomUUID();
		publish("sensors/" + device + "/temperature", "{\"celsius\":21.5,\"unit\":\"C\"}");
		await().atMost(Duration.ofSeconds(10)).until(() -> !recorder.get("temps").isEmpty());
		assertThat(recorder.get("temps")).containsExactly(device + "|Reading[celsius=21.5, unit=C]|sensors/" + device
				+ "/temperature|1");
		publish("devices/pump/42", "on");
		publish("files/a/b/c.txt", "content");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> !recorder.get("devices").isEmpty() && !recorder.get("files").isEmpty());
		assertThat(recorder.get("devices")).containsExactly("PUMP|42|on");
		assertThat(recorder.get("files")).containsExactly("a/b/c.txt");
	}

	@Test
	void placeholdersSpelAndSeveralTopicsWork() throws Exception {
		publish("placeholder/topic", "1");
		publish("spel/topic", "2");
		publish("multi/a", "3");
		publish("multi/b", "4");
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.get("placeholder").size() == 1
				&& recorder.get("spel").size() == 1 && recorder.get("multi").size() == 2);
		assertThat(recorder.get("multi")).containsExactlyInAnyOrder("multi/a", "multi/b");
	}

	@Test
	void byteArrayAndMessageParametersWork() throws Exception {
		publish("raw/x", "bytes!");
		await().atMost(Duration.ofSeconds(10)).until(() -> !recorder.get("raw").isEmpty());
		assertThat(recorder.get("raw")).containsExactly("6 bytes|raw/x");
	}

	@Test
	void overlappingListenersEachGetAMessageExactlyOnce() throws Exception {
		publish("overlap/a/x", "once");
		publish("overlap/end", "marker");
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.get("wide").contains("marker"));
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.get("narrow").contains("once"));
		assertThat(recorder.get("wide")).containsExactly("once", "marker");
		assertThat(recorder.get("narrow")).containsExactly("once");
	}

	@Test
	void aMessageMatchingSeveralTopicsOfOneListenerIsProcessedOnce() throws Exception {
		publish("twice/x", "one");
		publish("twice/end", "marker");
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.get("twice").contains("marker"));
		assertThat(recorder.get("twice")).containsExactly("one", "marker");
	}

	@Test
	void aListenerProcessesInArrivalOrder() throws Exception {
		for (int i = 0; i < 200; i++) {
			publisher.publish("ordered/x", String.valueOf(i), 1, false);
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> recorder.get("ordered").size() == 200);
		assertThat(recorder.get("ordered")).containsExactlyElementsOf(
				java.util.stream.IntStream.range(0, 200).mapToObj(String::valueOf).toList());
	}

	@Test
	void concurrencyAboveOneProcessesInParallel() throws Exception {
		for (int i = 0; i < 8; i++) {
			publish("parallel/x", String.valueOf(i));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> recorder.get("parallel").size() == 8);
		assertThat(recorder.get("parallel")).contains("met another");
	}

	@Test
	void aThrowingListenerGoesToTheErrorHandlerAndTheDeadLetterTopicAndKeepsReceiving() throws Exception {
		try (MqttTestClient dlq = MqttTestClient.connect(publisherUrl(), "dlq-watcher")) {
			dlq.subscribe("dlq/#", 1);
			String boom = "{\"celsius\":1,\"unit\":\"boom\"}";
			publish("failing/x", boom);
			publish("failing/x", "{not json");
			publish("failing/x", "{\"celsius\":2,\"unit\":\"fine\"}");
			await().atMost(Duration.ofSeconds(10)).until(() -> recorder.get("failing").contains("fine"));
			await().atMost(Duration.ofSeconds(10)).until(() -> recorder.get("errors").size() == 2);
			assertThat(recorder.get("errors")).containsExactly("failing|failing/x|" + boom,
					"failing|failing/x|{not json");
			await().atMost(Duration.ofSeconds(10)).until(() -> dlq.received().size() == 2);
			assertThat(dlq.received()).extracting(MqttTestClient.Received::topic).containsOnly("dlq/failing/x");
			assertThat(dlq.payloads()).containsExactly(boom, "{not json");
		}
	}

	@Test
	void aReturnValueIsPublishedToTheSendToTopic() throws Exception {
		try (MqttTestClient replies = MqttTestClient.connect(publisherUrl(), "reply-watcher")) {
			replies.subscribe("replies/#", 1);
			publish("commands/valve-3", "open");
			await().atMost(Duration.ofSeconds(10)).until(() -> !replies.received().isEmpty());
			assertThat(replies.received().get(0).topic()).isEqualTo("replies/valve-3");
			assertThat(replies.payloads()).containsExactly("done: open");
		}
	}

	@Test
	void aPausedListenerKeepsItsMessagesUntilResumed() throws Exception {
		MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
		registry.pause("pausable");
		assertThat(registry.getListenerContainer("pausable").state()).isEqualTo(MqttListenerContainer.State.PAUSED);
		publish("pausable/x", "while paused");
		publish("probe", "after pause");
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.get("probe").contains("after pause"));
		assertThat(recorder.get("pausable")).isEmpty();
		registry.resume("pausable");
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.get("pausable").contains("while paused"));
		registry.stop("pausable");
		assertThat(registry.getListenerContainer("pausable").state()).isEqualTo(MqttListenerContainer.State.STOPPED);
		registry.start("pausable");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			publish("pausable/x", "after restart");
			assertThat(recorder.get("pausable")).contains("after restart");
		});
	}

	@Test
	void aMetaAnnotatedMethodIsAListenerToo() throws Exception {
		publish("meta/x", "via meta-annotation");
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.get("meta").contains("via meta-annotation"));
	}

	@Test
	void theRegistryListsEndpointsWithTheirFilters() {
		MqttListenerContainer temps = context.getBean(MqttListenerEndpointRegistry.class)
			.getListenerContainer("temps");
		assertThat(temps.endpoint().topics()).containsExactly("sensors/{deviceId}/temperature");
		assertThat(temps.endpoint().topicFilters()).containsExactly("sensors/+/temperature");
		assertThat(temps.state()).isEqualTo(MqttListenerContainer.State.RUNNING);
	}

	private static String publisherUrl() {
		return "tcp://127.0.0.1:" + context.getEnvironment().getProperty("local.mqtt.port");
	}

	record Reading(double celsius, String unit) {
	}

	/** A composed annotation, as an application would write one. */
	@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
	@java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
	@MqttListener(topics = "meta/#", id = "meta")
	@interface MetaTopicListener {

	}

	enum Kind {

		PUMP, VALVE

	}

	/** Records what each listener saw, by name. */
	static class Recorder {

		private final Map<String, List<String>> seen = new java.util.concurrent.ConcurrentHashMap<>();

		void add(String listener, String value) {
			this.seen.computeIfAbsent(listener, (key) -> new CopyOnWriteArrayList<>()).add(value);
		}

		List<String> get(String listener) {
			return this.seen.getOrDefault(listener, List.of());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		final java.util.concurrent.CyclicBarrier meeting = new java.util.concurrent.CyclicBarrier(2);

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

		@Bean
		MqttListenerErrorHandler recordingErrorHandler(Recorder recorder) {
			return (listenerId, message, error) -> recorder.add("errors",
					listenerId + "|" + message.topic() + "|" + new String(message.payload()));
		}

		@Bean
		Listeners listeners(Recorder recorder, App app) {
			return new Listeners(recorder, app);
		}

	}

	static class Listeners {

		private final Recorder recorder;

		private final App app;

		Listeners(Recorder recorder, App app) {
			this.recorder = recorder;
			this.app = app;
		}

		@MqttListener(topics = "probe", id = "probe")
		void probe(String payload) {
			this.recorder.add("probe", payload);
		}

		@MqttListener(topics = "sensors/{deviceId}/temperature", id = "temps")
		void temperature(@TopicVariable("deviceId") UUID deviceId, Reading reading,
				@Header(MqttMessageHeaders.TOPIC) String topic, @Header(MqttMessageHeaders.QOS) int qos) {
			this.recorder.add("temps", deviceId + "|" + reading + "|" + topic + "|" + qos);
		}

		@MqttListener(topics = "devices/{kind}/{serial}", id = "devices")
		void device(@TopicVariable("kind") Kind kind, @TopicVariable("serial") long serial, String command) {
			this.recorder.add("devices", kind + "|" + serial + "|" + command);
		}

		@MqttListener(topics = "files/{*path}", id = "files")
		void file(@TopicVariable("path") String path) {
			this.recorder.add("files", path);
		}

		@MqttListener(topics = "${test.topic}", id = "placeholder")
		void placeholder(String payload) {
			this.recorder.add("placeholder", payload);
		}

		@MqttListener(topics = "#{'spel' + '/topic'}", id = "spel")
		void spel(String payload) {
			this.recorder.add("spel", payload);
		}

		@MqttListener(topics = { "multi/a", "multi/b" }, id = "multi")
		void multi(@Header(MqttMessageHeaders.TOPIC) String topic) {
			this.recorder.add("multi", topic);
		}

		@MqttListener(topics = "raw/#", id = "raw")
		void raw(byte[] payload, Message<byte[]> message) {
			this.recorder.add("raw", payload.length + " bytes|" + message.getHeaders().get(MqttMessageHeaders.TOPIC));
		}

		@MqttListener(topics = "overlap/#", id = "wide")
		void wide(String payload) {
			this.recorder.add("wide", payload);
		}

		@MqttListener(topics = "overlap/+/x", id = "narrow")
		void narrow(String payload) {
			this.recorder.add("narrow", payload);
		}

		@MqttListener(topics = { "twice/#", "twice/x" }, id = "twice")
		void twice(String payload) {
			this.recorder.add("twice", payload);
		}

		@MqttListener(topics = "ordered/#", id = "ordered")
		void ordered(String payload) {
			this.recorder.add("ordered", payload);
		}

		@MqttListener(topics = "parallel/#", id = "parallel", concurrency = "4")
		void parallel(String payload) throws InterruptedException {
			try {
				// Two invocations can only meet here if they run at the same time.
				this.app.meeting.await(5, java.util.concurrent.TimeUnit.SECONDS);
				this.recorder.add("parallel", "met another");
			}
			catch (java.util.concurrent.BrokenBarrierException | java.util.concurrent.TimeoutException ex) {
				this.recorder.add("parallel", "alone");
			}
		}

		@MqttListener(topics = "failing/#", id = "failing", errorHandler = "recordingErrorHandler")
		void failing(Reading reading) {
			if (reading.unit().equals("boom")) {
				throw new IllegalStateException("listener failure");
			}
			this.recorder.add("failing", reading.unit());
		}

		@MqttListener(topics = "commands/{device}", id = "commands")
		@SendTo("replies/{device}")
		String command(String command) {
			return "done: " + command;
		}

		@MetaTopicListener
		void meta(String payload) {
			this.recorder.add("meta", payload);
		}

		@MqttListener(topics = "pausable/#", id = "pausable")
		void pausable(String payload) {
			this.recorder.add("pausable", payload);
		}

	}

}
