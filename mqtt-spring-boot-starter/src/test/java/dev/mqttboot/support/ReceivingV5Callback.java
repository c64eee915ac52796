package dev.mqttboot.support;

import java.util.function.Consumer;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A Paho v5 callback that hands every received message on, and the end of the connection if asked, and ignores
 * the rest.
 */
public final class ReceivingV5Callback implements MqttCallback {

	private final Consumer<MqttMessage> received;

	private final Consumer<MqttDisconnectResponse> disconnected;

	public ReceivingV5Callback(Consumer<MqttMessage> received) {
		this(received, (response) -> {
		});
	}

	/**
	 * @param received gets every message
	 * @param disconnected gets the end of the connection: the broker's DISCONNECT, or its loss
	 */
	public ReceivingV5Callback(Consumer<MqttMessage> received, Consumer<MqttDisconnectResponse> disconnected) {
		this.received = received;
		this.disconnected = disconnected;
	}

	@Override
	public void messageArrived(String topic, MqttMessage message) {
		this.received.accept(message);
	}

	@Override
	public void disconnected(MqttDisconnectResponse response) {
		this.disconnected.accept(response);
	}

	@Override
	public void mqttErrorOccurred(MqttException exception) {
	}

	@Override
	public void deliveryComplete(IMqttToken token) {
	}

	@Override
	public void connectComplete(boolean reconnect, String serverURI) {
	}

	@Override
	public void authPacketArrived(int reasonCode, MqttProperties properties) {
	}

}
