package dev.mqttboot.broker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.support.ArrivalOrder;
import dev.mqttboot.support.MqttPackets;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import dev.mqttboot.support.RawMqttClient;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * [MQTT-4.6.0-6] One publisher's messages to one topic reach each subscriber in the order they were sent: several
 * publishers at once, each with many messages in flight, to a clean and to a persistent subscriber, with the broker's
 * store on (Artemis's journal, Moquette's H2 store). The order is that of the PUBLISH packets on the wire.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(BrokerEngine.class)
class DeliveryOrderTests {

	private static final int PUBLISHERS = 4;

	private static final int EACH = 1_000;

	private static final Duration WAIT = Duration.ofSeconds(120);

	@Parameter
	BrokerEngine engine;

	@TempDir
	Path store;

	private TestBroker broker;

	@BeforeEach
	void start() {
		this.broker = TestBroker.start(this.engine, "mqtt.broker.persistence.enabled=true",
				"mqtt.broker.persistence.directory=" + this.store);
	}

	@AfterEach
	void stop() {
		this.broker.close();
	}

	@ParameterizedTest(name = "QoS {0}, clean session {1}")
	@CsvSource({ "0, true", "1, true", "2, true", "1, false", "2, false" })
	void eachPublishersMessagesArriveInTheOrderSent(int qos, boolean cleanSession) throws Exception {
		Map<Integer, List<Integer>> arrivals = new ConcurrentHashMap<>();
		// A raw subscriber records PUBLISH packets in the order they come off the wire (a client library may hand a
		// QoS 2 message to its application later, at the PUBREL) and acknowledges each at once.
		try (RawMqttClient subscriber = new RawMqttClient(this.broker.port())) {
			subscriber.send(MqttPackets.connect("order-sub-" + qos + "-" + cleanSession, 60, cleanSession, null,
					null, 0, null, null));
			assertThat(subscriber.expect(MqttPackets.CONNACK, WAIT).body()[1]).isZero();
			subscriber.send(MqttPackets.subscribe(1, "order/#", qos));
			subscriber.expect(MqttPackets.SUBACK, WAIT);
			Publishers publishers = Publishers.start(this, qos);
			// QoS 0 may lose messages under load (never reorder them): wait for the last of each, not for all.
			receive(subscriber, arrivals, qos, Integer.MAX_VALUE, true, WAIT);
			publishers.join();
		}
		assertThat(complete(arrivals, qos)).as("every publisher's messages arrived").isTrue();
		// A QoS 1 duplicate repeats what came already; anything else below the highest so far came late.
		assertInOrder(arrivals, qos == 1);
	}

	/**
	 * [MQTT-4.6.0-1..3, -6] Through a reconnect of a persistent session: what was sent and not acknowledged is sent
	 * again first, in its order, then what waited; no message of a publisher reaches the subscriber after a later one
	 * (counting each message at its first arrival).
	 */
	@ParameterizedTest(name = "QoS {0}")
	@CsvSource({ "1", "2" })
	void eachPublishersMessagesKeepTheirOrderThroughASubscriberReconnect(int qos) throws Exception {
		Map<Integer, List<Integer>> arrivals = new ConcurrentHashMap<>();
		String clientId = "order-reconnect-" + qos;
		List<RawMqttClient.Packet> unacknowledged = new ArrayList<>();
		Publishers publishers;
		try (RawMqttClient first = new RawMqttClient(this.broker.port())) {
			first.send(MqttPackets.connect(clientId, 60, false, null, null, 0, null, null));
			assertThat(first.expect(MqttPackets.CONNACK, WAIT).body()[1]).isZero();
			first.send(MqttPackets.subscribe(1, "order/#", qos));
			first.expect(MqttPackets.SUBACK, WAIT);
			publishers = Publishers.start(this, qos);
			// Acknowledge some, then leave at least one packet (a PUBLISH, or at QoS 2 maybe a PUBREL) and up to 19
			// more unacknowledged, and drop the connection.
			receive(first, arrivals, qos, PUBLISHERS * EACH / 4, true, WAIT);
			unacknowledged.addAll(receive(first, arrivals, qos, 1, false, WAIT));
			unacknowledged.addAll(receive(first, arrivals, qos, 19, false, Duration.ofSeconds(2)));
		}
		assertThat(unacknowledged).as("packets left unacknowledged before the reconnect").isNotEmpty();
		if (this.engine == BrokerEngine.ARTEMIS) {
			// Known gap (docs/embedded-broker.md, Artemis engine): a client back within milliseconds, before Artemis has put back what
			// its dropped connection had in flight, can get newer messages first. ConsumerHandover narrows it (4 of 16
			// runs of this case failed without it reconnecting at once, 0 of 16 with it, then 1 in a CI run); here the
			// subscriber comes back once the broker has let the old connection go, as clients that back off do.
			await().atMost(WAIT).until(() -> this.broker.broker().connectedClients().stream()
				.noneMatch((client) -> client.clientId().equals(clientId)));
		}
		List<RawMqttClient.Packet> afterReconnect;
		try (RawMqttClient second = new RawMqttClient(this.broker.port())) {
			second.send(MqttPackets.connect(clientId, 60, false, null, null, 0, null, null));
			RawMqttClient.Packet connack = second.expect(MqttPackets.CONNACK, WAIT);
			assertThat(connack.body()[1]).isZero();
			assertThat(connack.body()[0] & 1).as("session present").isEqualTo(1);
			afterReconnect = receive(second, arrivals, qos, Integer.MAX_VALUE, true, WAIT);
			publishers.join();
		}
		assertThat(complete(arrivals, qos)).as("every publisher's messages arrived").isTrue();
		// [MQTT-4.4.0-1] Each PUBLISH and PUBREL left unacknowledged is sent again.
		for (RawMqttClient.Packet left : unacknowledged) {
			if (left.type() == MqttPackets.PUBLISH) {
				String[] parts = left.payload().split(":");
				assertThat(arrivals.get(Integer.parseInt(parts[0]))).as("%s sent again", left.payload())
					.filteredOn((seq) -> seq == Integer.parseInt(parts[1]))
					.hasSizeGreaterThanOrEqualTo(2);
			}
			else {
				assertThat(afterReconnect).as("PUBREL %d sent again", left.packetId())
					.anyMatch((packet) -> packet.type() == MqttPackets.PUBREL && packet.packetId() == left.packetId());
			}
		}
		// A message sent again after the reconnect repeats one that came already.
		assertInOrder(arrivals, true);
	}

	/**
	 * Read PUBLISH packets into the arrivals (per publisher, in the order they came off the wire) until {@code count}
	 * packets to acknowledge (QoS 1/2 PUBLISH, PUBREL) came, every publisher's messages are complete, or nothing comes
	 * for {@code quiet}; acknowledge them or not.
	 * @return the packets to acknowledge that came
	 */
	private static List<RawMqttClient.Packet> receive(RawMqttClient subscriber, Map<Integer, List<Integer>> arrivals,
			int qos, int count, boolean acknowledge, Duration quiet) throws Exception {
		List<RawMqttClient.Packet> received = new ArrayList<>();
		while (received.size() < count && !complete(arrivals, qos)) {
			RawMqttClient.Packet packet;
			try {
				packet = subscriber.read(quiet);
			}
			catch (java.net.SocketTimeoutException ex) {
				return received;
			}
			assertThat(packet).as("connection still open").isNotNull();
			if ((packet.type() == MqttPackets.PUBLISH && packet.qos() > 0) || packet.type() == MqttPackets.PUBREL) {
				received.add(packet);
			}
			if (packet.type() == MqttPackets.PUBLISH) {
				String[] parts = packet.payload().split(":");
				arrivals.computeIfAbsent(Integer.parseInt(parts[0]), (key) -> new CopyOnWriteArrayList<>())
					.add(Integer.parseInt(parts[1]));
				if (acknowledge && packet.qos() == 1) {
					subscriber.send(MqttPackets.ack(MqttPackets.PUBACK, packet.publishPacketId()));
				}
				else if (acknowledge && packet.qos() == 2) {
					subscriber.send(MqttPackets.ack(MqttPackets.PUBREC, packet.publishPacketId()));
				}
			}
			else if (acknowledge && packet.type() == MqttPackets.PUBREL) {
				subscriber.send(MqttPackets.ack(MqttPackets.PUBCOMP, packet.packetId()));
			}
		}
		return received;
	}

	/**
	 * No message of a publisher arrived after a later one of it.
	 * @param duplicatesAllowed whether a message may arrive again (QoS 1, or a resend after reconnect): a repeat of
	 * one that came already is then not late
	 */
	private static void assertInOrder(Map<Integer, List<Integer>> arrivals, boolean duplicatesAllowed) {
		for (Map.Entry<Integer, List<Integer>> publisher : arrivals.entrySet()) {
			assertThat(ArrivalOrder.lateArrivals(publisher.getValue(), duplicatesAllowed))
				.as("publisher %d: messages that arrived after a later one", publisher.getKey())
				.isEmpty();
		}
	}

	/**
	 * Paho (v3) hands a QoS 2 message to the application when its PUBREL arrives, so the order of the PUBRELs is the
	 * order the application sees.
	 */
	@Test
	void aPahoSubscriberGetsQos2MessagesInTheOrderSent() throws Exception {
		MqttTestOptions options = new MqttTestOptions();
		options.cleanSession(false);
		try (MqttTestClient subscriber = MqttTestClient.connect(this.broker.tcpUrl(), "order-paho-sub", options)) {
			subscriber.subscribe("order/#", 2);
			publish(0, 2);
			await().atMost(WAIT).until(() -> subscriber.received().size() >= EACH);
			List<Integer> seqs = subscriber.received()
				.stream()
				.map((message) -> Integer.parseInt(message.text().split(":")[1]))
				.toList();
			assertThat(ArrivalOrder.lateArrivals(seqs, false)).as("messages handed to the application after a later one")
				.isEmpty();
			assertThat(seqs).hasSize(EACH);
		}
	}

	private static boolean complete(Map<Integer, List<Integer>> arrivals, int qos) {
		return arrivals.size() == PUBLISHERS && arrivals.values()
			.stream()
			.allMatch((seqs) -> (qos == 0) ? seqs.contains(EACH - 1) : seqs.stream().distinct().count() == EACH);
	}

	/** Publish with up to 100 messages in flight, as fast as the broker takes them. */
	private void publish(int publisher, int qos) {
		List<byte[]> payloads = new ArrayList<>();
		for (int seq = 0; seq < EACH; seq++) {
			payloads.add((publisher + ":" + seq).getBytes(StandardCharsets.UTF_8));
		}
		try (MqttTestClient client = MqttTestClient.connect(this.broker.tcpUrl(), "order-pub-" + publisher)) {
			client.publishInWindow("order/p" + publisher, payloads, qos, 100);
			client.disconnect();
		}
	}

	/** {@link #PUBLISHERS} publishers, each on a thread of its own. */
	private static final class Publishers {

		private final List<Thread> threads = new ArrayList<>();

		private final List<Throwable> failures = new CopyOnWriteArrayList<>();

		static Publishers start(DeliveryOrderTests test, int qos) {
			Publishers publishers = new Publishers();
			for (int p = 0; p < PUBLISHERS; p++) {
				int publisher = p;
				Thread thread = new Thread(() -> {
					try {
						test.publish(publisher, qos);
					}
					catch (Throwable ex) {
						publishers.failures.add(ex);
					}
				});
				thread.start();
				publishers.threads.add(thread);
			}
			return publishers;
		}

		void join() throws InterruptedException {
			for (Thread thread : this.threads) {
				thread.join(WAIT.toMillis());
			}
			assertThat(this.failures).isEmpty();
		}

	}

}
