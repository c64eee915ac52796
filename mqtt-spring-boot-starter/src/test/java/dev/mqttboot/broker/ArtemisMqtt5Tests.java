package dev.mqttboot.broker;

import dev.mqttboot.support.RequiredTool;
import dev.mqttboot.support.RequiresTools;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.PublishOptions;
import dev.mqttboot.support.MqttPackets;
import dev.mqttboot.support.RawMqttClient;
import dev.mqttboot.support.SchedulingStalls;
import dev.mqttboot.support.ReceivingV5Callback;
import dev.mqttboot.support.TestBroker;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5 on the embedded broker with the Artemis engine, against the spec, with third-party clients (Paho v5,
 * {@code mosquitto_pub/sub -V 5}) and the starter's own MQTT 5 template.
 */
class ArtemisMqtt5Tests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static TestBroker broker;

	@BeforeAll
	static void start() {
		broker = TestBroker.startWithClients(BrokerEngine.ARTEMIS, "mqtt.broker.max-keep-alive=20s",
				"mqtt.client.protocol-version=5", "mqtt.client.client-id=artemis-v5-app");
	}

	@AfterAll
	static void stop() {
		broker.close();
	}

	@Test
	void theKeepAliveCeilingIsAnnouncedAsServerKeepAlive() throws Exception {
		try (Client client = Client.connect("v5-keepalive", (options) -> options.setKeepAliveInterval(0))) {
			assertThat(client.connack.getResponseProperties().getServerKeepAlive()).isEqualTo(20);
			ConnectedClient listed = broker.broker().connectedClients().stream()
				.filter((c) -> c.clientId().equals("v5-keepalive")).findFirst().orElseThrow();
			assertThat(listed.keepAlive()).isEqualTo(20);
			assertThat(listed.requestedKeepAlive()).isZero();
			assertThat(listed.protocolLevel()).isEqualTo(5);
		}
	}

	@Test
	void theTemplatesPropertiesReachAV5Subscriber() throws Exception {
		await().atMost(WAIT).until(() -> broker.bean(MqttConnections.class).get("default").isConnected());
		try (Client subscriber = Client.connect("v5-props", (options) -> {
		})) {
			subscriber.subscribe("v5props/#", 1);
			broker.bean(MqttOperations.class).publishAndWait("v5props/request", "ping",
					PublishOptions.builder().qos(1).userProperty("tenant", "t7").responseTopic("v5props/reply")
						.correlationData("c-1".getBytes(StandardCharsets.UTF_8)).contentType("text/plain")
						.messageExpiry(Duration.ofMinutes(5)).build(),
					WAIT);
			await().atMost(WAIT).until(() -> !subscriber.received.isEmpty());
			MqttProperties properties = subscriber.received.get(0).getProperties();
			assertThat(properties.getUserProperties()).extracting(UserProperty::getKey, UserProperty::getValue)
				.contains(org.assertj.core.groups.Tuple.tuple("tenant", "t7"));
			assertThat(properties.getResponseTopic()).isEqualTo("v5props/reply");
			assertThat(new String(properties.getCorrelationData(), StandardCharsets.UTF_8)).isEqualTo("c-1");
			assertThat(properties.getContentType()).isEqualTo("text/plain");
			assertThat(properties.getMessageExpiryInterval()).isPositive().isLessThanOrEqualTo(300L);
		}
	}

	@Test
	void aSubscriptionIdentifierComesBackWithTheMessagesItMatched() throws Exception {
		try (Client subscriber = Client.connect("v5-subid", (options) -> {
		}); Client publisher = Client.connect("v5-subid-pub", (options) -> {
		})) {
			MqttProperties properties = new MqttProperties();
			properties.setSubscriptionIdentifier(7);
			subscriber.client.subscribe(new MqttSubscription[] { new MqttSubscription("subid/#", 1) }, null, null,
					properties).waitForCompletion(WAIT.toMillis());
			publisher.client.publish("subid/a", "x".getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(WAIT.toMillis());
			await().atMost(WAIT).until(() -> !subscriber.received.isEmpty());
			assertThat(subscriber.received.get(0).getProperties().getSubscriptionIdentifiers()).contains(7);
		}
	}

	/** [MQTT-3.1.3-6], [MQTT-3.2.2-16] MQTT 5 lets a client leave its id to the server, whatever its Clean Start. */
	@Test
	void aZeroLengthClientIdWithCleanStartZeroIsAssignedOneAndToldIt() throws Exception {
		try (Client anonymous = Client.connect("", (options) -> {
			options.setCleanStart(false);
			options.setSessionExpiryInterval(60L);
		}); Client publisher = Client.connect("v5-assigned-pub", (options) -> {
		})) {
			String assigned = anonymous.connack.getResponseProperties().getAssignedClientIdentifier();
			assertThat(assigned).isNotBlank();
			assertThat(anonymous.connack.getSessionPresent()).isFalse();
			assertThat(broker.broker().connectedClients()).anyMatch((client) -> client.clientId().equals(assigned));
			anonymous.subscribe("assigned/#", 1);
			publisher.client.publish("assigned/a", "x".getBytes(StandardCharsets.UTF_8), 1, false)
				.waitForCompletion(WAIT.toMillis());
			await().atMost(WAIT).until(() -> anonymous.payloads().contains("x"));
		}
	}

	/**
	 * [MQTT-3.3.4-3/4/5] A message that matches two subscriptions of one client carries their identifiers: both in one
	 * copy, or each copy the identifier of the subscription it was sent for.
	 */
	@Test
	void overlappingSubscriptionsEachGetTheirOwnIdentifier() throws Exception {
		try (Client subscriber = Client.connect("v5-subid-overlap", (options) -> {
		}); Client publisher = Client.connect("v5-subid-overlap-pub", (options) -> {
		})) {
			MqttProperties wide = new MqttProperties();
			wide.setSubscriptionIdentifier(1);
			subscriber.client.subscribe(new MqttSubscription[] { new MqttSubscription("overlap/#", 1) }, null, null,
					wide).waitForCompletion(WAIT.toMillis());
			MqttProperties narrow = new MqttProperties();
			narrow.setSubscriptionIdentifier(2);
			subscriber.client.subscribe(new MqttSubscription[] { new MqttSubscription("overlap/a", 1) }, null, null,
					narrow).waitForCompletion(WAIT.toMillis());
			publisher.client.publish("overlap/a", "x".getBytes(StandardCharsets.UTF_8), 1, false)
				.waitForCompletion(WAIT.toMillis());
			publisher.client.publish("overlap/b", "y".getBytes(StandardCharsets.UTF_8), 1, false)
				.waitForCompletion(WAIT.toMillis());
			await().atMost(WAIT).until(() -> subscriber.payloads().contains("y"));
			List<List<Integer>> forA = subscriber.received.stream()
				.filter((m) -> new String(m.getPayload(), StandardCharsets.UTF_8).equals("x"))
				.map((m) -> m.getProperties().getSubscriptionIdentifiers().stream().sorted().toList())
				.toList();
			List<List<Integer>> forB = subscriber.received.stream()
				.filter((m) -> new String(m.getPayload(), StandardCharsets.UTF_8).equals("y"))
				.map((m) -> m.getProperties().getSubscriptionIdentifiers())
				.toList();
			assertThat(forA).as("copies of a message matching both").isIn(List.of(List.of(1, 2)),
					List.of(List.of(1), List.of(2)), List.of(List.of(2), List.of(1)));
			assertThat(forB).as("copies of a message matching only the wide one").containsExactly(List.of(1));
		}
	}

	@Test
	void noLocalKeepsAClientsOwnMessagesFromIt() throws Exception {
		try (Client both = Client.connect("v5-nolocal", (options) -> {
		}); Client other = Client.connect("v5-nolocal-other", (options) -> {
		})) {
			MqttSubscription subscription = new MqttSubscription("nolocal/#", 1);
			subscription.setNoLocal(true);
			both.client.subscribe(new MqttSubscription[] { subscription }).waitForCompletion(WAIT.toMillis());
			both.client.publish("nolocal/mine", "mine".getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(WAIT.toMillis());
			other.client.publish("nolocal/theirs", "theirs".getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(WAIT.toMillis());
			await().atMost(WAIT).until(() -> !both.received.isEmpty());
			assertThat(both.payloads()).containsExactly("theirs");
		}
	}

	@Test
	void aSessionWithAnExpiryOutlivesItsConnectionAndGetsWhatWasQueued() throws Exception {
		subscribeAndGoOffline("v5-expiry", "expiry/#");
		try (Client publisher = Client.connect("v5-expiry-pub", (options) -> {
		})) {
			publisher.client.publish("expiry/queued", "queued".getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(WAIT.toMillis());
		}
		try (Client again = Client.connect("v5-expiry", (options) -> {
			options.setCleanStart(false);
			options.setSessionExpiryInterval(300L);
		})) {
			assertThat(again.connack.getSessionPresent()).isTrue();
			await().atMost(WAIT).until(() -> again.payloads().contains("queued"));
		}
	}

	@Test
	void aMessageThatExpiresWhileQueuedIsNotDelivered() throws Exception {
		subscribeAndGoOffline("v5-msg-expiry", "msgexpiry/#");
		java.time.Instant expiringSent;
		try (Client publisher = Client.connect("v5-msg-expiry-pub", (options) -> {
		})) {
			publisher.client.publish("msgexpiry/a", expiring("expiring", 1L)).waitForCompletion(WAIT.toMillis());
			expiringSent = java.time.Instant.now();
			publisher.client.publish("msgexpiry/b", "lasting".getBytes(StandardCharsets.UTF_8), 1, false)
				.waitForCompletion(WAIT.toMillis());
		}
		// Reconnect only once the 1 s expiry is well past (a slower machine only lets more of it pass).
		await().atMost(WAIT)
			.until(() -> Duration.between(expiringSent, java.time.Instant.now()).compareTo(Duration.ofMillis(2500)) > 0);
		try (Client again = Client.connect("v5-msg-expiry", (options) -> {
			options.setCleanStart(false);
			options.setSessionExpiryInterval(300L);
		})) {
			await().atMost(WAIT).until(() -> again.payloads().contains("lasting"));
			assertThat(again.payloads()).doesNotContain("expiring");
		}
	}

	/** [MQTT-3.3.2-6] A queued message is forwarded with what is left of its Message Expiry Interval. */
	@Test
	void aQueuedMessageIsForwardedWithWhatIsLeftOfItsExpiryInterval() throws Exception {
		subscribeAndGoOffline("v5-expiry-left", "expiryleft/#");
		java.time.Instant sent;
		try (Client publisher = Client.connect("v5-expiry-left-pub", (options) -> {
		})) {
			publisher.client.publish("expiryleft/a", expiring("waiting", 100L)).waitForCompletion(WAIT.toMillis());
			sent = java.time.Instant.now();
		}
		// Queued for at least 3 s (longer on a slow machine, which only leaves less).
		await().atMost(WAIT).until(() -> Duration.between(sent, java.time.Instant.now()).toMillis() > 3000);
		try (Client again = Client.connect("v5-expiry-left", (options) -> {
			options.setCleanStart(false);
			options.setSessionExpiryInterval(300L);
		})) {
			await().atMost(WAIT).until(() -> again.payloads().contains("waiting"));
			long waited = Duration.between(sent, java.time.Instant.now()).toSeconds();
			assertThat(again.received.get(0).getProperties().getMessageExpiryInterval()).isPositive()
				.isLessThanOrEqualTo(97L)
				.isGreaterThanOrEqualTo(100L - waited - 1);
		}
	}

	@Test
	void aSessionWithoutExpiryEndsWithItsConnection() throws Exception {
		try (Client first = Client.connect("v5-no-expiry", (options) -> {
			options.setCleanStart(true);
			options.setSessionExpiryInterval(0L);
		})) {
			first.subscribe("noexpiry/#", 1);
			first.client.disconnect().waitForCompletion(WAIT.toMillis());
		}
		try (Client again = Client.connect("v5-no-expiry", (options) -> options.setCleanStart(false))) {
			assertThat(again.connack.getSessionPresent()).isFalse();
		}
	}

	@Test
	void retainedMessagesAreReplayedWithRetainAsPublishedAndRetainHandling() throws Exception {
		try (Client publisher = Client.connect("v5-retain-pub", (options) -> {
		})) {
			publisher.client.publish("v5retain/state", "on".getBytes(StandardCharsets.UTF_8), 1, true).waitForCompletion(WAIT.toMillis());
		}
		try (Client replayed = Client.connect("v5-retain-sub", (options) -> {
		}); Client skipped = Client.connect("v5-retain-skip", (options) -> {
		})) {
			replayed.subscribe("v5retain/#", 1);
			MqttSubscription noReplay = new MqttSubscription("v5retain/#", 1);
			noReplay.setRetainHandling(2);
			skipped.client.subscribe(new MqttSubscription[] { noReplay }).waitForCompletion(WAIT.toMillis());
			await().atMost(WAIT).until(() -> replayed.payloads().contains("on"));
			assertThat(replayed.received.get(0).isRetained()).isTrue();
			replayed.client.publish("v5retain/marker", "marker".getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(WAIT.toMillis());
			await().atMost(WAIT).until(() -> skipped.payloads().contains("marker"));
			assertThat(skipped.payloads()).doesNotContain("on");
		}
	}

	@Test
	void aDelayedWillIsPublishedAfterTheConnectionDiesNotBefore() throws Exception {
		try (Client watcher = Client.connect("v5-will-watcher", (options) -> {
		})) {
			watcher.subscribe("wills/#", 1);
			Client dying = Client.connect("v5-will", (options) -> {
				MqttMessage will = new MqttMessage("gone".getBytes(StandardCharsets.UTF_8));
				will.setQos(1);
				options.setWill("wills/v5-will", will);
				MqttProperties willProperties = new MqttProperties();
				willProperties.setWillDelayInterval(2L);
				options.setWillMessageProperties(willProperties);
				options.setSessionExpiryInterval(60L);
			});
			try (SchedulingStalls stalls = SchedulingStalls.watch()) {
				long dropped = System.nanoTime();
				assertThat(broker.broker().disconnect("v5-will")).isTrue();
				// A will delay only ever makes it later: nothing at once, however slow the machine.
				assertThat(watcher.payloads()).doesNotContain("gone");
				await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
					.until(() -> watcher.payloads().contains("gone"));
				Duration after = Duration.ofNanos(System.nanoTime() - dropped);
				// Not much later either: within a second of its 2 s delay, plus the time this JVM was stalled.
				assertThat(after).as("will published after %d ms (this JVM stalled %d ms)", after.toMillis(),
						stalls.longest().toMillis())
					.isBetween(Duration.ofSeconds(2), Duration.ofSeconds(3).plus(stalls.longest()));
			}
			dying.client.close(true);
		}
	}

	@Test
	void theBrokerSendsNoMoreUnacknowledgedMessagesThanTheClientsReceiveMaximum() throws Exception {
		try (RawMqttClient subscriber = new RawMqttClient(broker.port());
				Client publisher = Client.connect("v5-flow-pub", (options) -> {
				})) {
			subscriber.send(v5Connect("v5-flow", 2));
			assertThat(subscriber.expect(MqttPackets.CONNACK, WAIT).body()[1]).as("reason code").isZero();
			subscriber.send(v5Subscribe(1, "flow/#", 1));
			subscriber.expect(MqttPackets.SUBACK, WAIT);
			for (int i = 0; i < 5; i++) {
				publisher.client.publish("flow/m", ("m" + i).getBytes(StandardCharsets.UTF_8), 1, false)
					.waitForCompletion(WAIT.toMillis());
			}
			RawMqttClient.Packet first = subscriber.expect(MqttPackets.PUBLISH, WAIT);
			subscriber.expect(MqttPackets.PUBLISH, WAIT);
			// Receive Maximum 2: a third comes only once one is acknowledged. (A slow machine can only make this
			// pass for a broker that would send a third anyway, never fail for one that keeps to it.)
			assertThatExceptionOfType(java.net.SocketTimeoutException.class)
				.isThrownBy(() -> subscriber.read(Duration.ofSeconds(2)));
			subscriber.send(MqttPackets.ack(MqttPackets.PUBACK, first.publishPacketId()));
			assertThat(subscriber.expect(MqttPackets.PUBLISH, WAIT).type()).isEqualTo(MqttPackets.PUBLISH);
		}
	}

	@Test
	void aPublishUnderATopicAliasReachesSubscribersAndTheEventsUnderItsTopic() throws Exception {
		List<BrokerEvent.MessagePublished> published = new CopyOnWriteArrayList<>();
		broker.broker().addListener((event) -> {
			if (event instanceof BrokerEvent.MessagePublished message && "v5-alias".equals(message.clientId())) {
				published.add(message);
			}
		});
		try (Client subscriber = Client.connect("v5-alias-sub", (options) -> {
		}); RawMqttClient publisher = new RawMqttClient(broker.port())) {
			subscriber.subscribe("alias/#", 1);
			publisher.send(v5Connect("v5-alias", 10));
			publisher.expect(MqttPackets.CONNACK, WAIT);
			publisher.send(v5PublishWithAlias("alias/first", 1, "one"));
			publisher.send(v5PublishWithAlias("", 1, "two"));
			await().atMost(WAIT).until(() -> subscriber.payloads().size() >= 2);
			assertThat(subscriber.payloads()).containsExactly("one", "two");
			assertThat(subscriber.received).allSatisfy((message) -> assertThat(message.getProperties()).isNotNull());
			await().atMost(WAIT).until(() -> published.size() >= 2);
			assertThat(published).extracting(BrokerEvent.MessagePublished::topic)
				.containsExactly("alias/first", "alias/first");
		}
	}

	@Test
	void aDenyRuleStillWithholdsMessagesTheEngineSendsUnderATopicAlias() throws Exception {
		try (TestBroker guarded = TestBroker.start(BrokerEngine.ARTEMIS, "mqtt.broker.acl[0].topic=#",
				"mqtt.broker.acl[0].access=readwrite", "mqtt.broker.acl[1].topic=secrets/#",
				"mqtt.broker.acl[1].access=deny-read")) {
			MqttAsyncClient subscriber = new MqttAsyncClient(guarded.tcpUrl(), "v5-alias-reader", new MemoryPersistence());
			List<String> received = new CopyOnWriteArrayList<>();
			subscriber.setCallback(new ReceivingV5Callback(
					(message) -> received.add(new String(message.getPayload(), StandardCharsets.UTF_8))));
			MqttConnectionOptions options = new MqttConnectionOptions();
			// The engine may then send later messages of a topic under an alias, with an empty topic name.
			options.setTopicAliasMaximum(10);
			subscriber.connect(options).waitForCompletion(WAIT.toMillis());
			MqttAsyncClient publisher = new MqttAsyncClient(guarded.tcpUrl(), "v5-alias-writer", new MemoryPersistence());
			publisher.connect(new MqttConnectionOptions()).waitForCompletion(WAIT.toMillis());
			try {
				subscriber.subscribe("#", 1).waitForCompletion(WAIT.toMillis());
				for (String payload : List.of("secret-1", "public-1", "secret-2", "public-2", "secret-3")) {
					String topic = payload.startsWith("secret") ? "secrets/plan" : "public/news";
					publisher.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false)
						.waitForCompletion(WAIT.toMillis());
				}
				publisher.publish("public/news", "last".getBytes(StandardCharsets.UTF_8), 1, false)
					.waitForCompletion(WAIT.toMillis());
				await().atMost(WAIT).until(() -> received.contains("last"));
				assertThat(received).containsExactly("public-1", "public-2", "last");
			}
			finally {
				subscriber.disconnect().waitForCompletion(WAIT.toMillis());
				subscriber.close();
				publisher.disconnect().waitForCompletion(WAIT.toMillis());
				publisher.close();
			}
		}
	}

	/** MQTT 5 CONNECT, clean start, keep-alive 60, with a Receive Maximum property. */
	private static byte[] v5Connect(String clientId, int receiveMaximum) {
		java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
		MqttPackets.writeString(body, "MQTT");
		body.write(5);
		body.write(0x02);
		body.write(0);
		body.write(60);
		body.write(3);
		body.write(0x21);
		body.write(receiveMaximum >> 8);
		body.write(receiveMaximum & 0xFF);
		MqttPackets.writeString(body, clientId);
		return MqttPackets.packet(0x10, body.toByteArray());
	}

	private static byte[] v5Subscribe(int packetId, String filter, int qos) {
		java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
		body.write(packetId >> 8);
		body.write(packetId & 0xFF);
		body.write(0);
		MqttPackets.writeString(body, filter);
		body.write(qos);
		return MqttPackets.packet(0x82, body.toByteArray());
	}

	/** QoS 0 PUBLISH with a Topic Alias property; an empty topic uses the alias set before. */
	private static byte[] v5PublishWithAlias(String topic, int alias, String payload) {
		java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
		MqttPackets.writeString(body, topic);
		body.write(3);
		body.write(0x23);
		body.write(alias >> 8);
		body.write(alias & 0xFF);
		body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
		return MqttPackets.packet(0x30, body.toByteArray());
	}

	@Test
	@RequiresTools(RequiredTool.MOSQUITTO_CLIENTS)
	void mosquittoClientsSpeakMqtt5WithUserProperties() throws Exception {
		Process subscriber = new ProcessBuilder("/usr/bin/mosquitto_sub", "-V", "5", "-h", "127.0.0.1", "-p",
				String.valueOf(broker.port()), "-t", "v5cli/#", "-C", "1", "-F", "%t %p %P", "-W", "20")
			.redirectErrorStream(true)
			.start();
		try (Client probe = Client.connect("v5cli-probe", (options) -> {
		})) {
			await().atMost(WAIT).until(() -> broker.broker().subscriptions().stream()
				.anyMatch((s) -> s.topicFilter().equals("v5cli/#")));
			Process publisher = new ProcessBuilder("/usr/bin/mosquitto_pub", "-V", "5", "-h", "127.0.0.1", "-p",
					String.valueOf(broker.port()), "-t", "v5cli/hello", "-m", "hi", "-q", "1", "-D", "publish",
					"user-property", "site", "north")
				.redirectErrorStream(true)
				.start();
			assertThat(publisher.waitFor(20, TimeUnit.SECONDS)).isTrue();
			assertThat(publisher.exitValue()).isZero();
		}
		assertThat(subscriber.waitFor(20, TimeUnit.SECONDS)).isTrue();
		String output = new String(subscriber.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		assertThat(output).isEqualTo("v5cli/hello hi site:north");
	}

	/** Leave a session (expiry 300 s) subscribed at QoS 1 and offline, so that what is published is queued. */
	private static void subscribeAndGoOffline(String clientId, String filter) throws MqttException {
		try (Client first = Client.connect(clientId, (options) -> {
			options.setCleanStart(true);
			options.setSessionExpiryInterval(300L);
		})) {
			first.subscribe(filter, 1);
			first.client.disconnect().waitForCompletion(WAIT.toMillis());
		}
	}

	/** @return a QoS 1 message with a Message Expiry Interval */
	private static MqttMessage expiring(String payload, long seconds) {
		MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
		message.setQos(1);
		MqttProperties properties = new MqttProperties();
		properties.setMessageExpiryInterval(seconds);
		message.setProperties(properties);
		return message;
	}

	/** A Paho v5 client that records what it receives. */
	static final class Client implements AutoCloseable {

		final MqttAsyncClient client;

		final List<MqttMessage> received = new CopyOnWriteArrayList<>();

		IMqttToken connack;

		private Client(MqttAsyncClient client) {
			this.client = client;
		}

		static Client connect(String clientId, java.util.function.Consumer<MqttConnectionOptions> customizer)
				throws MqttException {
			MqttAsyncClient client = new MqttAsyncClient(broker.tcpUrl(), clientId, new MemoryPersistence());
			MqttConnectionOptions options = new MqttConnectionOptions();
			customizer.accept(options);
			Client wrapper = new Client(client);
			client.setCallback(new ReceivingV5Callback(wrapper.received::add));
			wrapper.connack = client.connect(options);
			wrapper.connack.waitForCompletion(WAIT.toMillis());
			return wrapper;
		}

		void subscribe(String filter, int qos) throws MqttException {
			this.client.subscribe(filter, qos).waitForCompletion(WAIT.toMillis());
		}

		List<String> payloads() {
			return this.received.stream().map((m) -> new String(m.getPayload(), StandardCharsets.UTF_8)).toList();
		}

		@Override
		public void close() throws MqttException {
			if (this.client.isConnected()) {
				this.client.disconnect().waitForCompletion(WAIT.toMillis());
			}
			this.client.close();
		}

	}

}
