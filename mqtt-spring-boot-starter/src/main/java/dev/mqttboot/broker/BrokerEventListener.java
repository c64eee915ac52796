package dev.mqttboot.broker;

/**
 * Receives {@link BrokerEvent}s. Called on broker threads: implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface BrokerEventListener {

	/**
	 * Handle one event.
	 * @param event the event
	 */
	void onEvent(BrokerEvent event);

}
