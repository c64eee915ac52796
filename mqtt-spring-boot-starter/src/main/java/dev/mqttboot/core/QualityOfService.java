package dev.mqttboot.core;

/**
 * MQTT's delivery guarantees, with the number each has on the wire.
 */
public enum QualityOfService {

	/** QoS 0: at most once, no acknowledgement. */
	AT_MOST_ONCE(0),

	/** QoS 1: at least once, acknowledged by PUBACK. */
	AT_LEAST_ONCE(1),

	/** QoS 2: exactly once, by the PUBREC/PUBREL/PUBCOMP handshake. */
	EXACTLY_ONCE(2);

	private final int value;

	QualityOfService(int value) {
		this.value = value;
	}

	/**
	 * The number MQTT sends for this level.
	 * @return 0, 1 or 2
	 */
	public int value() {
		return this.value;
	}

	/**
	 * The level of a number.
	 * @param value 0, 1 or 2
	 * @return the level
	 * @throws IllegalArgumentException for any other number, naming the accepted ones
	 */
	public static QualityOfService of(int value) {
		for (QualityOfService qos : values()) {
			if (qos.value == value) {
				return qos;
			}
		}
		throw new IllegalArgumentException("QoS " + value + " is not 0, 1 or 2");
	}

	/**
	 * Whether a number is a valid QoS level.
	 * @param value the number
	 * @return {@code true} for 0, 1 and 2
	 */
	public static boolean isValid(int value) {
		return value >= 0 && value <= 2;
	}

}
