package dev.mqttboot.support;

import java.util.function.Consumer;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A Paho v5 callback that hands every received message on and ignores the rest.
 */
public final class ReceivingV5Callback implements MqttCallback {

	private final Consumer<MqttMessage> received;

	public ReceivingV5Callback(Consumer<MqttMessage> received) {
		this.received = received;
	}

	@Override
	public void messageArrived(String topic, MqttMessage message) {
		this.received.accept(message);
	}

	@Override
	public void disconnected(MqttDisconnectResponse response) {
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
