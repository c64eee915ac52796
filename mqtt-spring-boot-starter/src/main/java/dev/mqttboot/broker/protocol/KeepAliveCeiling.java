package dev.mqttboot.broker.protocol;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The keep-alive ceiling ({@code mqtt.broker.max-keep-alive}): a client that asks for no keep-alive, or for a longer
 * one, is held to the ceiling, and closed after one and a half times it of silence. MQTT 5 tells the client so (Server
 * Keep Alive); for MQTT 3.1.1 the broker simply enforces it.
 */
public final class KeepAliveCeiling {

	/** No ceiling: every client keeps the keep-alive it asked for. */
	public static final KeepAliveCeiling NONE = new KeepAliveCeiling(0);

	private final int seconds;

	private KeepAliveCeiling(int seconds) {
		this.seconds = seconds;
	}

	/**
	 * @param ceiling the ceiling, or {@code null} for none
	 * @return the ceiling
	 */
	public static KeepAliveCeiling of(@Nullable Duration ceiling) {
		return (ceiling != null) ? new KeepAliveCeiling((int) ceiling.toSeconds()) : NONE;
	}

	/**
	 * @param requested the keep-alive a client asked for, in seconds (0: none)
	 * @return the keep-alive in effect, in seconds
	 */
	public int inEffect(int requested) {
		if (this.seconds > 0 && (requested == 0 || requested > this.seconds)) {
			return this.seconds;
		}
		return requested;
	}

	/** @return the ceiling in seconds, 0 when there is none */
	public int seconds() {
		return this.seconds;
	}

}
