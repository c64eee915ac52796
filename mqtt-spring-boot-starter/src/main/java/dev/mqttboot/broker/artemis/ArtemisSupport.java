package dev.mqttboot.broker.artemis;

import dev.mqttboot.broker.BrokerSettings;
import dev.mqttboot.broker.BrokerStartException;

/**
 * The {@code mqtt.broker.*} settings the Artemis engine does not honour yet: set to anything but their default, they
 * fail the start-up naming the property, rather than being silently ignored.
 */
final class ArtemisSupport {

	private ArtemisSupport() {
	}

	static void check(BrokerSettings settings) {
		if (!settings.redeliveryInterval().isZero()) {
			throw unsupported("mqtt.broker.redelivery-interval", "resending on a live connection");
		}
		if (!settings.buffers().equals(BrokerSettings.Buffers.DEFAULTS)) {
			throw unsupported("mqtt.broker.session-queue-size / outbound-buffer-size",
					"Moquette's queue sizes (Artemis bounds memory by paging instead)");
		}
	}

	private static BrokerStartException unsupported(String property, String what) {
		return new BrokerStartException(property, property + " is set, but the Artemis engine does not support "
				+ what + " yet", "Remove " + property + ", or set mqtt.broker.engine=moquette", null);
	}

}
