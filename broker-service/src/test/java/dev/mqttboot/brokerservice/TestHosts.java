package dev.mqttboot.brokerservice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Test hosts of their own on this machine: one Linux network namespace per host (Debian's iproute2, as root), each
 * with two links to the test's namespace:
 * <ul>
 * <li>a cluster link, a veth pair whose outer end is on a bridge shared by every host ({@code 10.231.0.<n>}): the
 * nodes talk to each other there, and cutting it partitions that host from the others;</li>
 * <li>a client link, a veth pair of its own ({@code 10.232.<n>.2}, the test's end {@code 10.232.<n>.1}): the test's
 * clients and management requests reach the host there, whatever happens to the cluster links.</li>
 * </ul>
 * Everything is created by {@link #create} and removed by {@link #close}; names carry this JVM's pid, so parallel
 * runs and leftovers of a killed run do not collide.
 */
final class TestHosts implements AutoCloseable {

	private final String tag = String.valueOf(ProcessHandle.current().pid() % 100_000);

	private final int count;

	private final List<String> created = new ArrayList<>();

	private TestHosts(int count) {
		this.count = count;
	}

	/**
	 * Create {@code count} hosts.
	 * @throws UnavailableException when this machine cannot make network namespaces (not root, no iproute2, a
	 * container without the capability)
	 */
	static TestHosts create(int count) throws UnavailableException {
		TestHosts hosts = new TestHosts(count);
		try {
			hosts.build();
			return hosts;
		}
		catch (IOException | RuntimeException ex) {
			hosts.close();
			throw new UnavailableException(ex.getMessage());
		}
	}

	/**
	 * Create {@code count} hosts, or skip the calling test with the reason when this machine cannot: a test that
	 * needs its own hosts never runs without them, and never pretends to.
	 */
	static TestHosts createOrSkip(int count) {
		try {
			return create(count);
		}
		catch (UnavailableException ex) {
			Assumptions.abort("This machine cannot make network namespaces (it needs root and iproute2), so this "
					+ "test does not run here: " + ex.getMessage());
			throw new IllegalStateException(ex);
		}
	}

	private void build() throws IOException {
		String bridge = bridge();
		ip("link", "add", bridge, "type", "bridge");
		this.created.add("link:" + bridge);
		ip("link", "set", bridge, "up");
		for (int n = 1; n <= this.count; n++) {
			String namespace = namespace(n);
			ip("netns", "add", namespace);
			this.created.add("netns:" + namespace);
			ip("-n", namespace, "link", "set", "lo", "up");
			ip("link", "add", clusterLink(n), "type", "veth", "peer", "name", "eth0", "netns", namespace);
			this.created.add("link:" + clusterLink(n));
			ip("link", "set", clusterLink(n), "master", bridge, "up");
			ip("-n", namespace, "addr", "add", clusterAddress(n) + "/24", "dev", "eth0");
			ip("-n", namespace, "link", "set", "eth0", "up");
			ip("link", "add", clientLink(n), "type", "veth", "peer", "name", "eth1", "netns", namespace);
			this.created.add("link:" + clientLink(n));
			ip("addr", "add", "10.232." + n + ".1/24", "dev", clientLink(n));
			ip("link", "set", clientLink(n), "up");
			ip("-n", namespace, "addr", "add", clientAddress(n) + "/24", "dev", "eth1");
			ip("-n", namespace, "link", "set", "eth1", "up");
		}
	}

	/** @return the command that runs a program on host {@code n} */
	String[] runOn(int n) {
		return new String[] { "ip", "netns", "exec", namespace(n) };
	}

	/** @return host {@code n}'s address on the cluster link */
	String clusterAddress(int n) {
		return "10.231.0." + n;
	}

	/** @return host {@code n}'s address on its client link */
	String clientAddress(int n) {
		return "10.232." + n + ".2";
	}

	/** Cut host {@code n}'s cluster link: it no longer reaches the other hosts (its clients still reach it). */
	void partition(int n) throws IOException {
		ip("link", "set", clusterLink(n), "down");
	}

	/** Restore host {@code n}'s cluster link. */
	void heal(int n) throws IOException {
		ip("link", "set", clusterLink(n), "up");
	}

	@Override
	public void close() {
		// Deleting one end of a veth deletes both; deleting a namespace deletes what is left in it.
		for (int i = this.created.size() - 1; i >= 0; i--) {
			String[] entry = this.created.get(i).split(":", 2);
			try {
				if (entry[0].equals("netns")) {
					ip("netns", "delete", entry[1]);
				}
				else {
					ip("link", "delete", entry[1]);
				}
			}
			catch (IOException | RuntimeException ex) {
				// already gone with its namespace or its peer
			}
		}
		this.created.clear();
	}

	private String namespace(int n) {
		return "mqttboot-" + this.tag + "-" + n;
	}

	private String bridge() {
		return "mqb" + this.tag;
	}

	private String clusterLink(int n) {
		return "mqc" + this.tag + "-" + n;
	}

	private String clientLink(int n) {
		return "mqd" + this.tag + "-" + n;
	}

	private static void ip(String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of("ip"));
		command.addAll(List.of(args));
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new IOException("cannot run ip (Debian package iproute2): " + ex.getMessage(), ex);
		}
		try {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(String.join(" ", command) + " did not finish");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
		if (process.exitValue() != 0) {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			throw new IOException(String.join(" ", command) + " failed: " + output);
		}
	}

	/** This machine cannot make the hosts; the message says why. */
	static final class UnavailableException extends Exception {

		UnavailableException(String message) {
			super(message);
		}

	}

}
