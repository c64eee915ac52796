package dev.mqttboot.client;

/**
 * Callbacks that adjust a connection's Paho options where properties cannot. They name Paho types, so they stay apart
 * from the common API: implement the one for the protocol in use and declare it as a bean.
 */
public final class MqttConnectOptionsCustomizers {

	private MqttConnectOptionsCustomizers() {
	}

	/**
	 * Customizes MQTT 3.1.1 connections (Paho v3 {@code MqttConnectOptions}).
	 */
	@FunctionalInterface
	public interface V3 {

		/**
		 * Adjust the options of one connection before it connects.
		 * @param connectionName the connection name
		 * @param options the options
		 */
		void customize(String connectionName, org.eclipse.paho.client.mqttv3.MqttConnectOptions options);

	}

	/**
	 * Customizes MQTT 5 connections (Paho v5 {@code MqttConnectionOptions}).
	 */
	@FunctionalInterface
	public interface V5 {

		/**
		 * Adjust the options of one connection before it connects.
		 * @param connectionName the connection name
		 * @param options the options
		 */
		void customize(String connectionName, org.eclipse.paho.mqttv5.client.MqttConnectionOptions options);

	}

}
