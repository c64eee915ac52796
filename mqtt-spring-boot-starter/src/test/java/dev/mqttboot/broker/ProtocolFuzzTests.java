package dev.mqttboot.broker;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mqttboot.support.MqttPackets;
import dev.mqttboot.support.RawMqttClient;
import dev.mqttboot.support.SessionLoops;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.mqttboot.support.MqttPackets.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded, seeded robustness run: 10,000 mutated MQTT frames (at most 60 s) against the embedded broker while a
 * canary client on every session loop keeps doing QoS 1 round trips. No canary may go without service for more than
 * 5 s, and the broker must serve a fresh client on every loop at the end. Part of the slow suite: it runs in CI,
 * {@code -DexcludedGroups=slow} skips it locally.
 */
@Tag("slow")
@ParameterizedClass(name = "{0}")
@EnumSource(BrokerEngine.class)
class ProtocolFuzzTests {

	@Parameter
	BrokerEngine engine;

	private static final long SEED = 20261124L;

	private static final int FRAMES = 10_000;

	private static final Duration TIME_LIMIT = Duration.ofSeconds(60);

	private static final Duration MAX_OUTAGE = Duration.ofSeconds(5);


	@Test
	void mutatedFramesNeverCostAnotherClientItsService() throws Exception {
		List<BrokerEvent> failures = new CopyOnWriteArrayList<>();
		try (TestBroker broker = TestBroker.start(this.engine, "mqtt.broker.max-message-size=64KB")) {
			broker.broker().addListener((event) -> {
				if (event instanceof BrokerEvent.EngineFailure) {
					failures.add(event);
				}
			});
			List<String> outages = new CopyOnWriteArrayList<>();
			AtomicBoolean fuzzing = new AtomicBoolean(true);
			List<Thread> canaries = new ArrayList<>();
			for (String id : SessionLoops.oneIdPerLoop("canary")) {
				Thread canary = new Thread(() -> runCanary(broker.port(), id, fuzzing, outages), id);
				canary.start();
				canaries.add(canary);
			}
			int sent = fuzz(broker.port());
			fuzzing.set(false);
			for (Thread canary : canaries) {
				canary.join(30_000);
			}
			assertThat(sent).isGreaterThan(1000);
			assertThat(outages).isEmpty();
			assertThat(failures).isEmpty();
			for (String id : SessionLoops.oneIdPerLoop("fresh")) {
				try (RawMqttClient client = new RawMqttClient(broker.port())) {
					assertThat(client.connect(id, 60)).isZero();
					roundTrip(client, id, 1);
				}
			}
		}
	}

	/** Send mutated frames on short-lived connections; returns how many frames were sent. */
	private static int fuzz(int port) {
		Random random = new Random(SEED);
		List<byte[]> corpus = corpus();
		long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
		int sent = 0;
		int connection = 0;
		while (sent < FRAMES && System.nanoTime() < deadline) {
			connection++;
			try (Socket socket = new Socket("127.0.0.1", port)) {
				socket.setSoTimeout(2000);
				var out = socket.getOutputStream();
				if (random.nextInt(4) != 0) {
					out.write(MqttPackets.connect("fuzz-" + connection, 60));
					if (random.nextInt(4) != 0) {
						// Mostly wait for the CONNACK, so that the mutated frames reach a connected session.
						awaitConnack(socket);
					}
				}
				int frames = 1 + random.nextInt(10);
				for (int i = 0; i < frames && sent < FRAMES; i++) {
					out.write(mutate(corpus.get(random.nextInt(corpus.size())), random));
					sent++;
				}
				out.flush();
				if (random.nextBoolean()) {
					// Hang up abruptly (RST) ...
					socket.setSoLinger(true, 0);
				}
				else {
					// ... or half-close and read what the broker answers, so that it processes what was sent.
					socket.shutdownOutput();
					drain(socket);
				}
			}
			catch (IOException ex) {
				// The broker closing a hostile connection mid-write is expected.
			}
		}
		return sent;
	}

	private static void awaitConnack(Socket socket) throws IOException {
		// A CONNACK is 4 bytes; anything else (a close) is fine too.
		socket.getInputStream().readNBytes(4);
	}

	private static void drain(Socket socket) throws IOException {
		socket.setSoTimeout(20);
		try {
			while (socket.getInputStream().read(new byte[512]) >= 0) {
				// what the broker answers is not checked here: the canaries are
			}
		}
		catch (java.net.SocketTimeoutException ex) {
			// the broker keeps the half-closed connection open: enough
		}
	}

	private static List<byte[]> corpus() {
		return List.of(MqttPackets.connect("fuzz", 30), MqttPackets.subscribe(1, "fuzz/+/x", 1),
				MqttPackets.subscribe(2, "#", 2), MqttPackets.publish("fuzz/a/x", "payload", 0, 0, false, false),
				MqttPackets.publish("fuzz/a/x", "payload", 1, 3, true, true),
				MqttPackets.publish("fuzz/b/x", "payload", 2, 4, true, false), MqttPackets.ack(MqttPackets.PUBREL, 4),
				MqttPackets.ack(MqttPackets.PUBACK, 1), MqttPackets.pingreq(), MqttPackets.disconnect(),
				hex("a2070005000166757a7a"), hex("101200044d515454041e003c0001780001610000"), hex("35050000000178"),
				hex("3a050001610001"), hex("100d00044d5154540402003c000178e000"));
	}

	private static byte[] mutate(byte[] frame, Random random) {
		byte[] mutated = frame.clone();
		switch (random.nextInt(6)) {
			case 0 -> mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
			case 1 -> mutated[0] = (byte) ((random.nextInt(16) << 4) | (mutated[0] & 0x0F));
			case 2 -> mutated[0] = (byte) ((mutated[0] & 0xF0) | random.nextInt(16));
			case 3 -> mutated = java.util.Arrays.copyOf(mutated, 1 + random.nextInt(mutated.length));
			case 4 -> {
				for (int i = 0; i < 1 + random.nextInt(4); i++) {
					mutated[random.nextInt(mutated.length)] ^= (byte) (1 << random.nextInt(8));
				}
			}
			default -> {
				// unchanged: valid frames in hostile order
			}
		}
		return mutated;
	}

	private static void runCanary(int port, String id, AtomicBoolean fuzzing, List<String> outages) {
		long lastServed = System.nanoTime();
		int sequence = 0;
		RawMqttClient client = null;
		try {
			while (fuzzing.get()) {
				try {
					if (client == null) {
						client = new RawMqttClient(port);
						if (client.connect(id, 60) != 0) {
							throw new IOException("refused");
						}
					}
					roundTrip(client, id, ++sequence);
					lastServed = System.nanoTime();
				}
				catch (IOException ex) {
					closeQuietly(client);
					client = null;
				}
				Duration outage = Duration.ofNanos(System.nanoTime() - lastServed);
				if (outage.compareTo(MAX_OUTAGE) > 0) {
					outages.add(id + " had no service for " + outage.toMillis() + " ms");
					return;
				}
			}
		}
		finally {
			closeQuietly(client);
		}
	}

	private static void roundTrip(RawMqttClient client, String id, int sequence) throws IOException {
		int packetId = 1 + (sequence % 60_000);
		client.send(MqttPackets.subscribe(packetId, "canary/" + id, 1));
		client.expect(MqttPackets.SUBACK, MAX_OUTAGE);
		client.send(MqttPackets.publish("canary/" + id, "ping-" + sequence, 1, packetId, false, false));
		client.expect(MqttPackets.PUBACK, MAX_OUTAGE);
		RawMqttClient.Packet delivered = client.expect(MqttPackets.PUBLISH, MAX_OUTAGE);
		client.send(MqttPackets.ack(MqttPackets.PUBACK, delivered.publishPacketId()));
		if (!delivered.payload().equals("ping-" + sequence)) {
			throw new IOException("unexpected payload " + delivered.payload());
		}
	}

	private static void closeQuietly(RawMqttClient client) {
		if (client != null) {
			try {
				client.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
	}

}
