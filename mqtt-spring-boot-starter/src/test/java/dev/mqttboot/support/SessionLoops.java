package dev.mqttboot.support;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Moquette runs one session loop per processor and picks a client's loop by its id's hash; tests that must reach
 * every loop use one client id per loop.
 */
public final class SessionLoops {

	/** How many session loops the engine runs on this machine. */
	public static final int COUNT = Runtime.getRuntime().availableProcessors();

	private SessionLoops() {
	}

	/** One client id per session loop, each starting with the prefix. */
	public static List<String> oneIdPerLoop(String prefix) {
		return IntStream.range(0, COUNT)
			.mapToObj((loop) -> IntStream.iterate(0, (i) -> i + 1)
				.mapToObj((i) -> prefix + "-" + i)
				.filter((id) -> Math.abs(id.hashCode()) % COUNT == loop)
				.findFirst()
				.orElseThrow())
			.toList();
	}

}
