package dev.mqttboot.broker.protocol;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.mqttboot.broker.BrokerEvent;
import io.netty.channel.Channel;

/**
 * {@code mqtt.broker.connect-timeout}: a new connection must have sent its whole CONNECT by the deadline, however
 * slowly its bytes arrive (an idle timer would be re-armed by every byte of a CONNECT sent one byte at a time).
 */
public final class ConnectDeadline {

	private ConnectDeadline() {
	}

	/**
	 * Close the channel at the deadline unless its CONNECT has arrived by then.
	 * @param channel a new client connection
	 * @param timeout the time it has
	 * @param connectReceived whether its CONNECT has arrived, asked on the channel's event loop at the deadline
	 * @param expired what to do before the channel is closed (record the reason, log)
	 */
	public static void arm(Channel channel, Duration timeout, BooleanSupplier connectReceived, Runnable expired) {
		channel.eventLoop().schedule(() -> {
			if (!connectReceived.getAsBoolean() && channel.isActive()) {
				expired.run();
				ConnectionLedger.closeReason(channel, BrokerEvent.DisconnectReason.SERVER);
				channel.close();
			}
		}, timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

}
