package dev.mqttboot.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mqttboot.support.MqttPackets;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import dev.mqttboot.support.RawMqttClient;
import dev.mqttboot.support.RawMqttClient.Packet;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * The MQTT 3.1.1 rules that Moquette 0.17 breaks and the broker layer enforces, each over real sockets: Eclipse Paho
 * where a client library can express the case, raw packets where only exact bytes can (withheld acknowledgements, a
 * CONNECT trickled byte by byte). The spec's normative statement is in each test's comment.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(BrokerEngine.class)
class Mqtt311ConformanceTests {

	@Parameter
	BrokerEngine engine;

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static TestBroker broker;

	@BeforeParameterizedClassInvocation
	static void start(BrokerEngine engine) {
		broker = TestBroker.start(engine, "mqtt.broker.connect-timeout=2s", "mqtt.broker.users[0].name=guest",
				"mqtt.broker.users[0].password={noop}guest", "mqtt.broker.users[1].name=admin",
				"mqtt.broker.users[1].password={noop}admin", "mqtt.broker.acl[0].topic=#",
				"mqtt.broker.acl[0].access=readwrite", "mqtt.broker.acl[1].topic=$test/#",
				"mqtt.broker.acl[1].access=readwrite", "mqtt.broker.acl[2].topic=test/nosubscribe",
				"mqtt.broker.acl[2].access=deny-read", "mqtt.broker.acl[3].user=guest",
				"mqtt.broker.acl[3].topic=secrets/#", "mqtt.broker.acl[3].access=deny-read",
				"mqtt.broker.acl[4].topic=readonly/#", "mqtt.broker.acl[4].access=deny-write",
				"mqtt.broker.acl[5].user=guest", "mqtt.broker.acl[5].topic=%u/private",
				"mqtt.broker.acl[5].access=deny");
	}

	@AfterParameterizedClassInvocation
	static void stop() {
		broker.close();
	}

	/** [MQTT-4.7.2-1] A filter starting with a wildcard must not match a topic name starting with $. */
	@Test
	void dollarTopicsReachOnlyFiltersThatNameTheirFirstLevel() throws Exception {
		try (MqttTestClient all = MqttTestClient.connect(broker.tcpUrl(), "dollar-all");
				MqttTestClient plusX = MqttTestClient.connect(broker.tcpUrl(), "dollar-plus-x");
				MqttTestClient threeLevels = MqttTestClient.connect(broker.tcpUrl(), "dollar-three-levels");
				MqttTestClient dollarTest = MqttTestClient.connect(broker.tcpUrl(), "dollar-test");
				MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "dollar-publisher")) {
			all.subscribe("#", 1);
			plusX.subscribe("+/x", 1);
			threeLevels.subscribe("+/+/+", 1);
			dollarTest.subscribe("$test/#", 1);
			publisher.publish("$SYS/broker/fake", "sys", 1, false);
			publisher.publish("$test/x", "dollar", 1, false);
			publisher.publish("end/x", "end-2", 1, false);
			publisher.publish("end/x/y", "end-3", 1, false);
			await().atMost(WAIT).until(() -> live(all).containsAll(List.of("end-2", "end-3"))
					&& live(plusX).contains("end-2") && live(threeLevels).contains("end-3")
					&& live(dollarTest).contains("dollar"));
			// Messages from one publisher arrive in order: had they matched, they would have come before the ends.
			assertThat(live(all)).containsExactly("end-2", "end-3");
			assertThat(live(plusX)).containsExactly("end-2");
			assertThat(live(threeLevels)).containsExactly("end-3");
			assertThat(live(dollarTest)).containsExactly("dollar");
		}
	}

	/** [MQTT-4.7.2-1] also holds for the retained messages a new subscription receives. */
	@Test
	void retainedDollarTopicsAreNotReplayedToWildcardFirstFilters() throws Exception {
		try (MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "dollar-retained-publisher")) {
			publisher.publish("$test/retained", "kept", 1, true);
			publisher.publish("dollar-retained/marker", "marker", 1, true);
		}
		try (MqttTestClient dollarTest = MqttTestClient.connect(broker.tcpUrl(), "dollar-retained-named");
				MqttTestClient all = MqttTestClient.connect(broker.tcpUrl(), "dollar-retained-all")) {
			dollarTest.subscribe("$test/retained", 1);
			await().atMost(WAIT).until(() -> dollarTest.payloads().contains("kept"));
			all.subscribe("#", 1);
			// Replays of one SUBSCRIBE are written before anything published after its SUBACK.
			all.publish("dollar-retained/after", "after", 1, false);
			await().atMost(WAIT).until(() -> all.payloads().contains("after"));
			assertThat(all.payloads()).contains("marker").doesNotContain("kept");
		}
	}

	/**
	 * [MQTT-4.4.0-1] On reconnect with CleanSession 0 the server must resend unacknowledged PUBLISH packets (DUP=1)
	 * and PUBREL packets with their original packet ids, before new messages, and at once rather than on a timer.
	 */
	@Test
	void aReconnectingPersistentSessionGetsItsUnacknowledgedPacketsAtOnceAndInOrder() throws Exception {
		int qos1Id;
		int qos2Id;
		try (RawMqttClient subscriber = new RawMqttClient(broker.port());
				MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "redeliver-publisher")) {
			subscriber.send(MqttPackets.connect("redeliver-subscriber", 60, false, null, null, 0, null, null));
			subscriber.expect(MqttPackets.CONNACK, WAIT);
			subscriber.send(MqttPackets.subscribe(1, "redeliver/#", 2));
			subscriber.expect(MqttPackets.SUBACK, WAIT);
			publisher.publish("redeliver/one", "one", 1, false);
			Packet one = subscriber.expect(MqttPackets.PUBLISH, WAIT);
			publisher.publish("redeliver/two", "two", 2, false);
			Packet two = subscriber.expect(MqttPackets.PUBLISH, WAIT);
			assertThat(List.of(one.payload(), two.payload())).containsExactly("one", "two");
			qos1Id = one.publishPacketId();
			qos2Id = two.publishPacketId();
			// Receive the QoS 2 message (PUBREC) but never complete it; never acknowledge the QoS 1 one.
			subscriber.send(MqttPackets.ack(MqttPackets.PUBREC, qos2Id));
			assertThat(subscriber.expect(MqttPackets.PUBREL, WAIT).packetId()).isEqualTo(qos2Id);
		}
		try (RawMqttClient subscriber = new RawMqttClient(broker.port());
				MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "redeliver-publisher-2")) {
			subscriber.send(MqttPackets.connect("redeliver-subscriber", 60, false, null, null, 0, null, null));
			Packet connack = subscriber.expect(MqttPackets.CONNACK, WAIT);
			assertThat(connack.body()[0] & 1).as("session present").isEqualTo(1);
			// Resending on a live connection is off by default (no timer at all): what arrives now was sent because
			// of the reconnect, and it comes first, before anything new.
			// [MQTT-4.6.0] orders resent PUBLISHes among themselves and PUBRELs among themselves, not one kind
			// against the other: Moquette sends the PUBLISH first, the Artemis engine the PUBREL.
			Packet first = subscriber.read(WAIT);
			Packet second = subscriber.read(WAIT);
			Packet resent = (first.type() == MqttPackets.PUBLISH) ? first : second;
			Packet pubrel = (first.type() == MqttPackets.PUBLISH) ? second : first;
			assertThat(resent.type()).isEqualTo(MqttPackets.PUBLISH);
			assertThat(resent.payload()).isEqualTo("one");
			if (this.engine == BrokerEngine.MOQUETTE) {
				// Artemis 2.41 resends with DUP=0 under a new packet id (a known gap, see docs/embedded-broker.md).
				assertThat(resent.header() & 0x08).as("DUP").isEqualTo(0x08);
				assertThat(resent.publishPacketId()).isEqualTo(qos1Id);
			}
			assertThat(pubrel.type()).isEqualTo(MqttPackets.PUBREL);
			assertThat(pubrel.packetId()).isEqualTo(qos2Id);
			publisher.publish("redeliver/three", "three", 1, false);
			Packet three = subscriber.expect(MqttPackets.PUBLISH, WAIT);
			assertThat(three.payload()).isEqualTo("three");
			assertThat(three.publishPacketId()).isNotIn(resent.publishPacketId(), qos2Id);
			subscriber.send(MqttPackets.ack(MqttPackets.PUBACK, resent.publishPacketId()));
			subscriber.send(MqttPackets.ack(MqttPackets.PUBCOMP, qos2Id));
			subscriber.send(MqttPackets.ack(MqttPackets.PUBACK, three.publishPacketId()));
			subscriber.send(MqttPackets.disconnect());
		}
		// Everything was acknowledged: the next reconnect gets nothing again. Artemis 2.41 sometimes delivers the
		// last QoS 1 message again although its PUBACK came before the DISCONNECT (at least once still holds; noted
		// for the durability work), so this part holds Moquette only.
		if (this.engine != BrokerEngine.MOQUETTE) {
			return;
		}
		try (RawMqttClient subscriber = new RawMqttClient(broker.port())) {
			subscriber.send(MqttPackets.connect("redeliver-subscriber", 60, false, null, null, 0, null, null));
			subscriber.expect(MqttPackets.CONNACK, WAIT);
			subscriber.send(MqttPackets.pingreq());
			Packet next = subscriber.read(WAIT);
			assertThat(next.type()).as(next.toString()).isEqualTo(MqttPackets.PINGRESP);
			subscriber.send(MqttPackets.disconnect());
		}
	}

	/**
	 * By default nothing is resent on a live connection (as MQTT 5 requires and Mosquitto does): a listener that takes
	 * longer than the engine's 5 s timer does not see its message twice.
	 */
	@Test
	void anUnacknowledgedMessageIsNotResentOnALiveConnectionByDefault() throws Exception {
		try (RawMqttClient subscriber = new RawMqttClient(broker.port());
				MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "no-resend-publisher")) {
			subscriber.connect("no-resend-subscriber", 60);
			subscriber.send(MqttPackets.subscribe(1, "no-resend/#", 1));
			subscriber.expect(MqttPackets.SUBACK, WAIT);
			publisher.publish("no-resend/a", "a", 1, false);
			Packet first = subscriber.expect(MqttPackets.PUBLISH, WAIT);
			assertThat(first.payload()).isEqualTo("a");
			// Past the engine's resend timer (5 s period, 5 s in-flight timeout) with room to spare.
			assertThat(readPublishes(subscriber, Duration.ofSeconds(12))).isEmpty();
		}
	}

	/** mqtt.broker.moquette.redelivery-interval turns the resend on a live connection back on, with DUP=1. */
	@Test
	void aConfiguredRedeliveryIntervalResendsOnALiveConnection() throws Exception {
		// Artemis never resends on a live connection (MQTT 5 forbids it): the engine refuses the property, see
		// ArtemisEngineTests.
		assumeTrue(this.engine == BrokerEngine.MOQUETTE, "resending on a live connection is Moquette's");
		try (TestBroker resending = TestBroker.start(this.engine, "mqtt.broker.moquette.redelivery-interval=5s");
				RawMqttClient subscriber = new RawMqttClient(resending.port());
				MqttTestClient publisher = MqttTestClient.connect(resending.tcpUrl(), "resend-publisher")) {
			subscriber.connect("resend-subscriber", 60);
			subscriber.send(MqttPackets.subscribe(1, "resend/#", 1));
			subscriber.expect(MqttPackets.SUBACK, WAIT);
			publisher.publish("resend/a", "a", 1, false);
			Packet first = subscriber.expect(MqttPackets.PUBLISH, WAIT);
			Packet again = subscriber.expect(MqttPackets.PUBLISH, Duration.ofSeconds(30));
			assertThat(again.publishPacketId()).isEqualTo(first.publishPacketId());
			assertThat(again.header() & 0x08).as("DUP").isEqualTo(0x08);
			assertThat(again.payload()).isEqualTo("a");
		}
	}

	/**
	 * [MQTT-3.3.1-5] A retained QoS 0 message is stored and replaces the retained one; [MQTT-3.3.1-10/11] only a
	 * zero-length retained payload deletes it.
	 */
	@Test
	void aRetainedQos0PublishIsStoredAndOnlyAnEmptyOneDeletes() throws Exception {
		try (MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "retain-qos0-publisher")) {
			publisher.publish("retain-qos0/a", "first", 1, true);
			publisher.publish("retain-qos0/a", "second", 0, true);
		}
		try (MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl(), "retain-qos0-subscriber")) {
			subscriber.subscribe("retain-qos0/a", 1);
			await().atMost(WAIT).until(() -> !subscriber.received().isEmpty());
			assertThat(subscriber.received()).singleElement().satisfies((message) -> {
				assertThat(message.text()).isEqualTo("second");
				assertThat(message.retained()).isTrue();
				assertThat(message.qos()).isZero();
			});
		}
		try (MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "retain-qos0-deleter")) {
			publisher.publish("retain-qos0/a", "", 0, true);
		}
		try (MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl(), "retain-qos0-subscriber-2")) {
			subscriber.subscribe("retain-qos0/a", 1);
			subscriber.publish("retain-qos0/a", "live", 1, false);
			await().atMost(WAIT).until(() -> subscriber.payloads().contains("live"));
			assertThat(subscriber.payloads()).containsExactly("live");
		}
	}

	/**
	 * [MQTT-3.3.1-8] A message sent because of a new subscription carries RETAIN=1, at every QoS; [MQTT-3.3.1-9] one
	 * forwarded to an established subscription carries RETAIN=0, however it was published.
	 */
	@Test
	void retainedReplaysCarryTheRetainFlagAtEveryQosAndLiveForwardsDoNot() throws Exception {
		try (MqttTestClient live = MqttTestClient.connect(broker.tcpUrl(), "retain-flag-live");
				MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "retain-flag-publisher")) {
			live.subscribe("retain-flag/#", 2);
			for (int qos = 0; qos <= 2; qos++) {
				publisher.publish("retain-flag/q" + qos, "q" + qos, qos, true);
			}
			await().atMost(WAIT).until(() -> live.received().size() == 3);
			assertThat(live.received()).allSatisfy((message) -> assertThat(message.retained()).isFalse());
		}
		try (MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl(), "retain-flag-new")) {
			subscriber.subscribe("retain-flag/#", 2);
			await().atMost(WAIT).until(() -> subscriber.received().size() == 3);
			assertThat(subscriber.received()).allSatisfy((message) -> {
				assertThat(message.retained()).as(message.topic()).isTrue();
				assertThat(message.qos()).isEqualTo(Integer.parseInt(message.text().substring(1)));
			});
		}
	}

	/**
	 * [MQTT-3.3.1-8] also holds for the replays beyond the subscriber's in-flight window: Moquette (window 10) queues
	 * them while the first ten are unacknowledged and sends them as the acknowledgements come in. A persistent session
	 * on a broker with a store, so that they wait in the store's queue, where each payload is a copy of its own.
	 */
	@Test
	void retainedReplaysBeyondTheInFlightWindowCarryTheRetainFlagToo(@TempDir Path store) throws Exception {
		int count = 25;
		int window = 10;
		try (TestBroker persistent = TestBroker.start(this.engine, "mqtt.broker.persistence.enabled=true",
				"mqtt.broker.persistence.directory=" + store);
				RawMqttClient subscriber = new RawMqttClient(persistent.port())) {
			try (MqttTestClient publisher = MqttTestClient.connect(persistent.tcpUrl(), "retain-window-publisher")) {
				for (int i = 0; i < count; i++) {
					publisher.publish("retain-window/" + i, "w" + i, 1, true);
				}
			}
			subscriber.send(MqttPackets.connect("retain-window-subscriber", 60, false, null, null, 0, null, null));
			subscriber.expect(MqttPackets.CONNACK, WAIT);
			subscriber.send(MqttPackets.subscribe(1, "retain-window/#", 1));
			subscriber.expect(MqttPackets.SUBACK, WAIT);
			List<Packet> replays = new ArrayList<>();
			for (int i = 0; i < window; i++) {
				replays.add(subscriber.expect(MqttPackets.PUBLISH, WAIT));
			}
			// Only now the first acknowledgements: whatever came after the window had to wait in the queue.
			for (Packet replay : replays) {
				subscriber.send(MqttPackets.ack(MqttPackets.PUBACK, replay.publishPacketId()));
			}
			while (replays.size() < count) {
				Packet replay = subscriber.expect(MqttPackets.PUBLISH, WAIT);
				replays.add(replay);
				subscriber.send(MqttPackets.ack(MqttPackets.PUBACK, replay.publishPacketId()));
			}
			assertThat(replays).extracting(Packet::payload).doesNotHaveDuplicates();
			assertThat(replays).allSatisfy((replay) -> assertThat(replay.retain()).as(replay.topic()).isTrue());
		}
	}

	/** A deny rule refuses a SUBSCRIBE inside it with return code 0x80, whatever other rules grant. */
	@Test
	void aDeniedSubscriptionIsRefusedWith0x80() throws Exception {
		try (MqttTestClient guest = MqttTestClient.connect(broker.tcpUrl(), "deny-sub-guest", login("guest"));
				MqttTestClient admin = MqttTestClient.connect(broker.tcpUrl(), "deny-sub-admin", login("admin"))) {
			assertThat(guest.trySubscribe("test/nosubscribe", 1)).isEqualTo(0x80);
			assertThat(guest.trySubscribe("secrets/#", 1)).isEqualTo(0x80);
			assertThat(guest.trySubscribe("secrets/a", 1)).isEqualTo(0x80);
			assertThat(guest.trySubscribe("guest/private", 1)).isEqualTo(0x80);
			assertThat(guest.trySubscribe("test/other", 1)).isEqualTo(1);
			assertThat(admin.trySubscribe("secrets/#", 1)).isEqualTo(1);
			assertThat(admin.trySubscribe("guest/private", 1)).isEqualTo(1);
		}
	}

	/**
	 * A wider subscription is granted, but what a deny rule covers is never delivered through it; the withheld QoS
	 * 1/2 deliveries are completed with the engine, so the subscriber's in-flight window never fills with them.
	 */
	@Test
	void aDenyRuleWithholdsItsTopicsFromWiderSubscriptionsWithoutStallingTheConnection() throws Exception {
		try (MqttTestClient guest = MqttTestClient.connect(broker.tcpUrl(), "deny-read-guest", login("guest"));
				MqttTestClient admin = MqttTestClient.connect(broker.tcpUrl(), "deny-read-admin", login("admin"))) {
			assertThat(guest.trySubscribe("#", 2)).isEqualTo(2);
			admin.subscribe("secrets/#", 2);
			// More than the engine's in-flight window of 10, at QoS 1 and 2.
			for (int i = 0; i < 30; i++) {
				admin.publish("secrets/s" + i, "secret-" + i, 1 + (i % 2), false);
			}
			admin.publish("public/end", "end", 2, false);
			await().atMost(WAIT).until(() -> live(guest).contains("end") && live(admin).size() == 30);
			assertThat(guest.payloads()).doesNotContain("secret-0", "secret-29");
			assertThat(live(guest)).containsExactly("end");
		}
	}

	/** A deny-write rule drops the publish (acknowledged, as every refused publish is) for everyone. */
	@Test
	void aDenyWriteRuleDropsThePublish() throws Exception {
		try (MqttTestClient reader = MqttTestClient.connect(broker.tcpUrl(), "deny-write-reader");
				MqttTestClient writer = MqttTestClient.connect(broker.tcpUrl(), "deny-write-writer")) {
			reader.subscribe("readonly/#", 1);
			reader.subscribe("writable/#", 1);
			writer.publish("readonly/x", "dropped", 1, false);
			writer.publish("readonly/y", "dropped-2", 2, false);
			writer.publish("writable/x", "kept", 1, false);
			await().atMost(WAIT).until(() -> reader.payloads().contains("kept"));
			assertThat(reader.payloads()).containsExactly("kept");
		}
	}

	/**
	 * The connect timeout bounds the time to a complete CONNECT, however slowly its bytes arrive: also once the first
	 * bytes have named the protocol (Artemis's handshake timeout ends there), so half the CONNECT goes at once.
	 */
	@Test
	void aConnectTrickledOneByteAtATimeIsClosedAfterTheConnectTimeout() throws Exception {
		byte[] connect = MqttPackets.connect("a-trickling-client-with-a-long-id", 60);
		try (Socket socket = new Socket("127.0.0.1", broker.port())) {
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			int sent = connect.length / 2;
			out.write(connect, 0, sent);
			out.flush();
			boolean closed = false;
			while (!closed && sent < connect.length) {
				try {
					out.write(connect[sent++]);
					out.flush();
					closed = in.read() < 0;
				}
				catch (SocketTimeoutException ex) {
					// Still open: send the next byte.
				}
				catch (IOException ex) {
					closed = true;
				}
			}
			// 2 s connect timeout, a byte every 500 ms: closed after about 4 more of the CONNECT's bytes.
			assertThat(closed).as("closed before the whole CONNECT was sent").isTrue();
			assertThat(sent).isLessThan(connect.length);
		}
	}

	/** Payloads of the messages forwarded to established subscriptions (retained replays left out). */
	private static List<String> live(MqttTestClient client) {
		return client.received().stream().filter((message) -> !message.retained()).map(MqttTestClient.Received::text).toList();
	}

	private static MqttTestOptions login(String user) {
		MqttTestOptions options = new MqttTestOptions();
		options.credentials(user, user);
		return options;
	}

	private static List<Packet> readPublishes(RawMqttClient client, Duration during) throws IOException {
		List<Packet> publishes = new ArrayList<>();
		long deadline = System.nanoTime() + during.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				Packet packet = client.read(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
				if (packet == null) {
					break;
				}
				if (packet.type() == MqttPackets.PUBLISH) {
					publishes.add(packet);
				}
			}
			catch (SocketTimeoutException ex) {
				break;
			}
		}
		return publishes;
	}

}
