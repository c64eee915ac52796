package dev.mqttboot.client;

import java.util.function.IntConsumer;

/**
 * What differs between the two Paho APIs (v3 for MQTT 3.1.1, v5 for MQTT 5), and nothing else: {@link PahoConnection}
 * holds everything they share. Each implementation owns its Paho client through a Spring Integration client manager.
 * No method blocks or throws.
 */
interface PahoClient {

	/** Start one connect attempt, reporting its outcome to the listener. */
	void connect(ConnectListener listener);

	/**
	 * Hand a publish to the client, which completes its future on acknowledgement or fails it.
	 * @return {@code false} when the client did not take it for now (not connected, or at its own in-flight limit)
	 */
	boolean publish(PendingPublish publish);

	/** Send SUBSCRIBE; report the granted QoS, or a reason code of 0x80 and above. */
	void subscribe(String topicFilter, int qos, IntConsumer answer);

	void unsubscribe(String topicFilter);

	/** Send PUBACK or PUBREC for a message (the client runs with manual acknowledgements); nothing for QoS 0. */
	void acknowledge(int messageId, int qos);

	/** Disconnect cleanly (forcibly after a short wait) and release the client. */
	void close();

	/** The outcome of one connect attempt. */
	interface ConnectListener {

		void connected(String url, boolean sessionPresent);

		void failed(Throwable cause);

	}

	/** What the client reports on its own. */
	interface Callbacks {

		/** Called on the client's callback thread. */
		void connectionLost(Throwable cause);

		/** Called on the client's callback thread, which must not be blocked. */
		void messageArrived(ReceivedMessage message);

	}

}
