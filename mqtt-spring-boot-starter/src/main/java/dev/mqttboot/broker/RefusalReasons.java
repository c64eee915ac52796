package dev.mqttboot.broker;


import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

/**
 * Maps CONNACK return codes to {@link BrokerEvent.RefusalReason}.
 */
public final class RefusalReasons {

	private RefusalReasons() {
	}

	/**
	 * @param code the return code of a refusing CONNACK (MQTT 3.1.1 or 5)
	 * @return why the connection was refused
	 */
	public static BrokerEvent.RefusalReason of(MqttConnectReturnCode code) {
		return switch (code) {
			case CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, CONNECTION_REFUSED_NOT_AUTHORIZED,
					CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD, CONNECTION_REFUSED_NOT_AUTHORIZED_5 ->
				BrokerEvent.RefusalReason.BAD_CREDENTIALS;
			case CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION ->
				BrokerEvent.RefusalReason.UNSUPPORTED_PROTOCOL;
			case CONNECTION_REFUSED_IDENTIFIER_REJECTED, CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID ->
				BrokerEvent.RefusalReason.IDENTIFIER_REJECTED;
			case CONNECTION_REFUSED_SERVER_UNAVAILABLE, CONNECTION_REFUSED_SERVER_UNAVAILABLE_5 ->
				BrokerEvent.RefusalReason.SERVER_UNAVAILABLE;
			default -> BrokerEvent.RefusalReason.OTHER;
		};
	}

}
