package dev.mqttboot.broker.moquette;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;

/**
 * A CONNECT as the engine is to see it, rebuilt from the client's: Netty's codec messages are immutable.
 */
final class ConnectRewrite {

	private ConnectRewrite() {
	}

	/**
	 * @param connect the client's CONNECT
	 * @param keepAlive the keep-alive in effect, in seconds
	 * @return the CONNECT with that keep-alive
	 */
	static MqttConnectMessage withKeepAlive(MqttConnectMessage connect, int keepAlive) {
		MqttConnectVariableHeader h = connect.variableHeader();
		return new MqttConnectMessage(connect.fixedHeader(),
				new MqttConnectVariableHeader(h.name(), h.version(), h.hasUserName(), h.hasPassword(), h.isWillRetain(),
						h.willQos(), h.isWillFlag(), h.isCleanSession(), keepAlive, h.properties()),
				connect.payload());
	}

	/**
	 * @param connect the client's CONNECT
	 * @return the CONNECT without its will
	 */
	static MqttConnectMessage withoutWill(MqttConnectMessage connect) {
		MqttConnectVariableHeader h = connect.variableHeader();
		MqttConnectPayload p = connect.payload();
		return new MqttConnectMessage(connect.fixedHeader(),
				new MqttConnectVariableHeader(h.name(), h.version(), h.hasUserName(), h.hasPassword(), false, 0, false,
						h.isCleanSession(), h.keepAliveTimeSeconds(), h.properties()),
				new MqttConnectPayload(p.clientIdentifier(), null, null, (byte[]) null, p.userName(),
						p.passwordInBytes()));
	}

}
