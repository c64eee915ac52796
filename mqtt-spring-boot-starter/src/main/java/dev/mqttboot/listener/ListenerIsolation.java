package dev.mqttboot.listener;

/**
 * Which connection a listener container receives on.
 */
public enum ListenerIsolation {

	/**
	 * A connection of its own, with its client connection's settings and the client id
	 * {@code <client-id>-<listener-id>}: a paused, slow or stuck listener holds only its own broker in-flight window, so
	 * it never delays other listeners or the template. Costs one connection (and, with a persistent session, one session
	 * on the broker) per listener.
	 */
	DEDICATED,

	/**
	 * The client connection itself, shared with the template and the other listeners: one connection in all, but once
	 * a paused or slow listener holds as many unacknowledged messages as the broker's in-flight window (10 on the
	 * embedded broker, 20 on Mosquitto by default), nothing more arrives on that connection until it catches up.
	 */
	SHARED

}
