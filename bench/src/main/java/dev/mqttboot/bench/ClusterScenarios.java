package dev.mqttboot.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;

/**
 * Scenario 11: publishers on node 1, subscribers on nodes 2 and 3 of an Artemis cluster of broker-service nodes, so
 * that every message crosses the cluster; the same clients against one node (every port the same) are the baseline.
 * On this machine the three nodes and the load generator share two cores: a functional figure (what forwarding costs
 * per message), not a scaling one.
 */
final class ClusterScenarios {

	static final String FAN_IN = "11a. Cluster: QoS 1 fan-in 4->2, publishers on node 1, subscribers on nodes 2 and 3 "
			+ "(window 100)";

	static final String LATENCY = "11b. Cluster: QoS 1 latency at 1,000 msg/s, node 1 to node 2";

	private final EventLoopGroup group;

	private final int publisherPort;

	private final List<Integer> subscriberPorts;

	private final List<BrokerProcess> nodes;

	private final Samples.Recorder out;

	/**
	 * @param publisherPort node 1's MQTT port
	 * @param subscriberPorts nodes 2 and 3's
	 * @param nodes every node's process, for their CPU time
	 */
	ClusterScenarios(EventLoopGroup group, int publisherPort, List<Integer> subscriberPorts, List<BrokerProcess> nodes,
			Samples.Recorder out) {
		this.group = group;
		this.publisherPort = publisherPort;
		this.subscriberPorts = subscriberPorts;
		this.nodes = nodes;
		this.out = out;
	}

	void run() throws Exception {
		awaitRoutes();
		// Untimed: JIT warm-up of every node's forwarding path.
		fanIn(2, 5_000, null);
		fanIn(4, 10_000, FAN_IN);
		latency(1, LATENCY);
	}

	/**
	 * A subscription made on one node reaches the others a moment later (and the cluster bridges connect a moment
	 * after start-up): publish probes on node 1 until a subscriber on each other node has one.
	 */
	private void awaitRoutes() throws Exception {
		List<Receiver> receivers = new ArrayList<>();
		List<BenchClient> subscribers = new ArrayList<>();
		for (int i = 0; i < this.subscriberPorts.size(); i++) {
			Receiver receiver = new Receiver(1, 100_000);
			subscribers.add(subscriber(this.subscriberPorts.get(i), "probe-sub-" + i, "probe/#", receiver));
			receivers.add(receiver);
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		int probe = 0;
		while (receivers.stream().anyMatch((r) -> r.distinct() == 0)) {
			if (System.nanoTime() > deadline || probe >= 100_000) {
				throw new IllegalStateException("the cluster did not forward a probe from node 1 within 120 s");
			}
			Publisher publisher = new Publisher(0, "probe/x", 1, 1, 1);
			BenchClient client = BenchClient.connect(this.group, this.publisherPort, "probe-pub-" + probe++, 60,
					publisher::onPacket);
			publisher.bind(client);
			publisher.start();
			publisher.done.await(10, TimeUnit.SECONDS);
			client.close();
			TimeUnit.MILLISECONDS.sleep(500);
		}
		subscribers.forEach(BenchClient::close);
	}

	/** {@code publishers} publishers on node 1, one wildcard subscriber on each other node. */
	private void fanIn(int publishers, int each, String name) throws Exception {
		List<Receiver> receivers = new ArrayList<>();
		List<BenchClient> clients = new ArrayList<>();
		for (int i = 0; i < this.subscriberPorts.size(); i++) {
			Receiver receiver = new Receiver(publishers, each);
			clients.add(subscriber(this.subscriberPorts.get(i), "cluster-sub-" + i, "cluster/#", receiver));
			receivers.add(receiver);
		}
		// The new subscriptions are announced to node 1 a moment later: messages sent before would go nowhere.
		TimeUnit.SECONDS.sleep(2);
		List<Publisher> senders = new ArrayList<>();
		for (int i = 0; i < publishers; i++) {
			Publisher publisher = new Publisher(i, "cluster/p" + i, 1, each, 100);
			BenchClient client = BenchClient.connect(this.group, this.publisherPort, "cluster-pub-" + i, 60,
					publisher::onPacket);
			publisher.bind(client);
			senders.add(publisher);
			clients.add(client);
		}
		long[] cpuBefore = cpu();
		long ownBefore = Cpu.ownCpuMillis();
		long started = System.nanoTime();
		senders.forEach(Publisher::start);
		long expected = (long) publishers * each * receivers.size();
		BrokerScenarios.awaitDelivery(() -> receivers.stream().mapToLong(Receiver::distinct).sum(), expected, senders);
		if (name != null) {
			long end = receivers.stream().mapToLong((r) -> r.lastArrivalNanos).max().orElse(System.nanoTime());
			long delivered = receivers.stream().mapToLong(Receiver::distinct).sum();
			this.out.record(name, "deliveries/s", delivered / ((end - started) / 1e9));
			this.out.record(name, "loss %", 100.0 * (expected - delivered) / expected);
			this.out.record(name, "duplicates", receivers.stream().mapToLong((r) -> r.duplicates).sum());
			recordCpu(name, cpuBefore, ownBefore);
		}
		clients.forEach(BenchClient::close);
	}

	/** One paced publisher on node 1, one subscriber on node 2. */
	private void latency(int perMillisecond, String name) throws Exception {
		int count = 10 * 1000 * perMillisecond;
		Receiver receiver = new Receiver(1, count);
		BenchClient subscriber = subscriber(this.subscriberPorts.get(0), "cluster-lat-sub", "clat/#", receiver);
		TimeUnit.SECONDS.sleep(2);
		Publisher publisher = new Publisher(0, "clat/x", 1, count, Integer.MAX_VALUE);
		BenchClient pub = BenchClient.connect(this.group, this.publisherPort, "cluster-lat-pub", 60,
				publisher::onPacket);
		publisher.bind(pub);
		long[] cpuBefore = cpu();
		long ownBefore = Cpu.ownCpuMillis();
		publisher.startPaced(perMillisecond);
		BrokerScenarios.awaitDelivery(receiver::distinct, count, List.of(publisher));
		this.out.record(name, "p50 us", receiver.percentileMicros(50));
		this.out.record(name, "p99 us", receiver.percentileMicros(99));
		this.out.record(name, "p99.9 us", receiver.percentileMicros(99.9));
		this.out.record(name, "loss %", 100.0 * (count - receiver.distinct()) / count);
		recordCpu(name, cpuBefore, ownBefore);
		pub.close();
		subscriber.close();
	}

	private BenchClient subscriber(int port, String clientId, String filter, Receiver receiver) throws Exception {
		BenchClient client = BenchClient.open(this.group, port, clientId, 60, true, receiver::onPacket);
		client.connected().get(30, TimeUnit.SECONDS);
		receiver.bind(client);
		client.subscribe(filter, 1);
		return client;
	}

	private long[] cpu() {
		return this.nodes.stream().mapToLong(BrokerProcess::cpuMillis).toArray();
	}

	private void recordCpu(String name, long[] before, long ownBefore) {
		long[] after = cpu();
		long total = 0;
		for (int i = 0; i < after.length; i++) {
			total += after[i] - before[i];
		}
		this.out.record(name, "broker CPU ms (all nodes)", total);
		this.out.record(name, "load generator CPU ms", Cpu.ownCpuMillis() - ownBefore);
	}

}
