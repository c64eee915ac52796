package dev.mqttboot.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.channel.EventLoopGroup;

/**
 * Scenarios 1 to 6: the broker under load from the bench's own Netty clients. Payloads carry a sequence number and
 * the send time, so loss, duplicates, reordering and latency are measured, not assumed. Every loop is bounded in count
 * and time.
 */
final class BrokerScenarios {

	static final long SCENARIO_TIMEOUT_SECONDS = 60;

	/** Silence after which a scenario stops waiting: what has not arrived by then is counted as lost. */
	private static final long QUIET_SECONDS = 5;

	private final EventLoopGroup group;

	private final BrokerProcess broker;

	private final int port;

	private final Samples.Recorder out;

	/** SUBSCRIBEs the broker dropped right after CONNACK. */
	private int subscribesLost;

	BrokerScenarios(EventLoopGroup group, BrokerProcess broker, int port, Samples.Recorder out) {
		this.group = group;
		this.broker = broker;
		this.port = port;
		this.out = out;
	}

	void warmUp() throws Exception {
		fanIn(1, 2, 5_000, 100, null);
	}

	/** Scenarios 1 to 3: {@code publishers} publishers, one wildcard subscriber. */
	void fanIn(int qos, int publishers, int each, int window, String name) throws Exception {
		fanIn(qos, publishers, each, window, true, name);
	}

	/**
	 * Scenarios 1 to 3 and 10: {@code publishers} publishers, one wildcard subscriber, with a clean or a persistent
	 * session (a persistent session's messages are what a broker must keep on disk).
	 */
	void fanIn(int qos, int publishers, int each, int window, boolean cleanSubscriber, String name) throws Exception {
		Receiver receiver = new Receiver(publishers, each);
		String subscriberId = (cleanSubscriber ? "sub-" : "durable-sub-") + qos;
		BenchClient subscriber = subscriber(subscriberId, "bench/" + qos + "/#", qos, cleanSubscriber, receiver);
		List<Publisher> senders = new ArrayList<>();
		List<BenchClient> clients = new ArrayList<>();
		for (int i = 0; i < publishers; i++) {
			Publisher publisher = new Publisher(i, "bench/" + qos + "/p" + i, qos, each, window);
			BenchClient client = BenchClient.connect(this.group, this.port, "pub-" + qos + "-" + i, 60,
					publisher::onPacket);
			publisher.bind(client);
			senders.add(publisher);
			clients.add(client);
		}
		Cpu cpu = Cpu.start(this.broker);
		senders.forEach(Publisher::start);
		long expected = (long) publishers * each;
		awaitDelivery(receiver::distinct, expected, senders);
		if (name != null) {
			double seconds = (receiver.lastArrivalNanos - cpu.startNanos()) / 1e9;
			this.out.record(name, "delivered msg/s", receiver.distinct() / seconds);
			this.out.record(name, "loss %", 100.0 * (expected - receiver.distinct()) / expected);
			this.out.record(name, "duplicates", receiver.duplicates);
			this.out.record(name, "reordered", receiver.reordered);
			if (qos == 2) {
				this.out.record(name, "packet-id reuse", receiver.packetIdReuse);
			}
			cpu.finish(this.out, name);
		}
		clients.forEach(BenchClient::close);
		subscriber.close();
	}

	/** Scenario 4: one publisher, {@code subscribers} subscribers to its topic. */
	void fanOut(int qos, int subscribers, int count, String name) throws Exception {
		List<Receiver> receivers = new ArrayList<>();
		List<BenchClient> clients = new ArrayList<>();
		int lostBefore = this.subscribesLost;
		for (int i = 0; i < subscribers; i++) {
			Receiver receiver = new Receiver(1, count);
			clients.add(subscriber("fan-sub-" + qos + "-" + i, "fan/" + qos, qos, receiver));
			receivers.add(receiver);
		}
		this.out.record(name, "SUBSCRIBE lost after CONNACK", this.subscribesLost - lostBefore);
		Publisher publisher = new Publisher(0, "fan/" + qos, qos, count, 100);
		BenchClient pub = BenchClient.connect(this.group, this.port, "fan-pub-" + qos, 60, publisher::onPacket);
		publisher.bind(pub);
		Cpu cpu = Cpu.start(this.broker);
		publisher.start();
		long expected = (long) subscribers * count;
		awaitDelivery(() -> receivers.stream().mapToLong(Receiver::distinct).sum(), expected, List.of(publisher));
		long end = receivers.stream().mapToLong((r) -> r.lastArrivalNanos).max().orElse(System.nanoTime());
		long delivered = receivers.stream().mapToLong(Receiver::distinct).sum();
		this.out.record(name, "deliveries/s", delivered / ((end - cpu.startNanos()) / 1e9));
		this.out.record(name, "loss %", 100.0 * (expected - delivered) / expected);
		cpu.finish(this.out, name);
		pub.close();
		clients.forEach(BenchClient::close);
	}

	/** Scenario 5: QoS 1 at a fixed rate, {@code perMillisecond} messages every millisecond, for 10 s. */
	void latency(int perMillisecond, String name) throws Exception {
		int count = 10 * 1000 * perMillisecond;
		Receiver receiver = new Receiver(1, count);
		BenchClient subscriber = subscriber("lat-sub", "lat/#", 1, receiver);
		Publisher publisher = new Publisher(0, "lat/x", 1, count, Integer.MAX_VALUE);
		BenchClient pub = BenchClient.connect(this.group, this.port, "lat-pub", 60, publisher::onPacket);
		publisher.bind(pub);
		Cpu cpu = Cpu.start(this.broker);
		publisher.startPaced(perMillisecond);
		awaitDelivery(receiver::distinct, count, List.of(publisher));
		this.out.record(name, "p50 us", receiver.percentileMicros(50));
		this.out.record(name, "p99 us", receiver.percentileMicros(99));
		this.out.record(name, "p99.9 us", receiver.percentileMicros(99.9));
		this.out.record(name, "loss %", 100.0 * (count - receiver.distinct()) / count);
		cpu.finish(this.out, name);
		pub.close();
		subscriber.close();
	}

	/**
	 * Connect a subscriber and subscribe, again on a new connection when the broker drops the SUBSCRIBE (raw Moquette
	 * 0.17 closes a few percent of connections that subscribe right after CONNACK); the drops are counted.
	 */
	private BenchClient subscriber(String clientId, String filter, int qos, Receiver receiver) throws Exception {
		return subscriber(clientId, filter, qos, true, receiver);
	}

	private BenchClient subscriber(String clientId, String filter, int qos, boolean cleanSession, Receiver receiver)
			throws Exception {
		for (int attempt = 0; attempt < 3; attempt++) {
			BenchClient candidate = BenchClient.open(this.group, this.port, clientId, 60, cleanSession,
					receiver::onPacket);
			candidate.connected().get(30, TimeUnit.SECONDS);
			receiver.bind(candidate);
			try {
				candidate.subscribe(filter, qos);
				return candidate;
			}
			catch (TimeoutException ex) {
				this.subscribesLost++;
				candidate.close();
			}
		}
		throw new IllegalStateException(clientId + " could not subscribe to " + filter + " in 3 attempts");
	}

	/**
	 * Scenario 6, on a freshly started broker: {@code count} idle connections. The resident size is read before and
	 * after, each time after a full GC for the JVM brokers, so that it counts what the connections keep.
	 */
	void idleConnections(int count, int keepAlive, String name) throws Exception {
		TimeUnit.SECONDS.sleep(2);
		this.broker.collectGarbage();
		long rssBefore = this.broker.rssKib();
		List<BenchClient> clients = new ArrayList<>();
		long started = System.nanoTime();
		long deadline = started + TimeUnit.SECONDS.toNanos(SCENARIO_TIMEOUT_SECONDS);
		for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
			try {
				clients.add(BenchClient.connect(this.group, this.port, "idle-" + i, keepAlive, (message) -> {
				}));
			}
			catch (Exception ex) {
				// counted below as a connection not made
			}
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		TimeUnit.SECONDS.sleep(2);
		this.broker.collectGarbage();
		long rssAfter = this.broker.rssKib();
		this.out.record(name, "seconds to connect all", seconds);
		// Refused, timed out, or not attempted before the scenario's time limit.
		this.out.record(name, "connections not made", count - clients.size());
		this.out.record(name, "broker RSS MiB before", rssBefore / 1024.0);
		this.out.record(name, "broker RSS MiB with all connected", rssAfter / 1024.0);
		this.out.record(name, "broker RSS KiB per connection",
				clients.isEmpty() ? Double.NaN : (double) (rssAfter - rssBefore) / clients.size());
		clients.forEach((client) -> client.channel().close());
		for (BenchClient client : clients) {
			client.channel().closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
		}
	}

	/**
	 * Scenario 9, on a freshly started broker: {@code count} clients open their connection and send CONNECT all at
	 * once, without waiting for each other; each must get a CONNACK that accepts it within the scenario's time limit.
	 */
	void connectionStorm(int count, boolean cleanSession, String name) throws Exception {
		List<BenchClient> clients = new ArrayList<>(count);
		long started = System.nanoTime();
		Cpu cpu = Cpu.start(this.broker);
		for (int i = 0; i < count; i++) {
			clients.add(BenchClient.open(this.group, this.port, "storm-" + i, 60, cleanSession, (message) -> {
			}));
		}
		long deadline = started + TimeUnit.SECONDS.toNanos(SCENARIO_TIMEOUT_SECONDS);
		int accepted = 0;
		long lastAccepted = started;
		for (BenchClient client : clients) {
			try {
				client.connected().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				accepted++;
			}
			catch (Exception ex) {
				// refused, closed or timed out: counted below
			}
		}
		lastAccepted = System.nanoTime();
		this.out.record(name, "connections failed", count - accepted);
		this.out.record(name, "seconds until all answered", (lastAccepted - started) / 1e9);
		this.out.record(name, "CONNACKs/s", accepted / ((lastAccepted - started) / 1e9));
		cpu.finish(this.out, name);
		clients.forEach((client) -> client.channel().close());
		for (BenchClient client : clients) {
			client.channel().closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
		}
	}

	/**
	 * Wait until everything expected arrived, or the time limit passed, or the senders are done and nothing arrived
	 * for a while (the rest is lost).
	 */
	static void awaitDelivery(java.util.function.LongSupplier delivered, long expected, List<Publisher> publishers)
			throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SCENARIO_TIMEOUT_SECONDS);
		long last = -1;
		long lastChange = System.nanoTime();
		while (System.nanoTime() < deadline) {
			long now = delivered.getAsLong();
			if (now >= expected) {
				return;
			}
			if (now != last) {
				last = now;
				lastChange = System.nanoTime();
			}
			else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(QUIET_SECONDS)
					&& publishers.stream().allMatch((p) -> p.done.getCount() == 0)) {
				return;
			}
			TimeUnit.MILLISECONDS.sleep(10);
		}
	}

}
