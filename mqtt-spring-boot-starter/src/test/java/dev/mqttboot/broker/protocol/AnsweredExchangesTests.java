package dev.mqttboot.broker.protocol;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acknowledgements written for a client whose message the broker refuses or withholds.
 */
class AnsweredExchangesTests {

	private final AnsweredExchanges exchanges = new AnsweredExchanges();

	@Test
	void qos1TakesOnePubackAndQos0Nothing() {
		assertAcknowledgement(this.exchanges.answer(1, 7), MqttMessageType.PUBACK, 7);
		// Handed to Artemis as if the client had sent it: the type Netty decodes a PUBACK into, which Artemis casts to.
		assertThat(this.exchanges.answer(1, 8)).isInstanceOf(MqttPubAckMessage.class);
		assertThat(this.exchanges.answer(0, 0)).isNull();
		assertThat(this.exchanges.release(7)).as("no QoS 2 exchange for a QoS 1 answer").isNull();
	}

	@Test
	void qos2TakesAPubrecAndItsPubrelOnePubcomp() {
		assertAcknowledgement(this.exchanges.answer(2, 9), MqttMessageType.PUBREC, 9);
		assertThat(this.exchanges.release(8)).as("an exchange not answered here goes on").isNull();
		assertAcknowledgement(this.exchanges.release(9), MqttMessageType.PUBCOMP, 9);
		assertThat(this.exchanges.release(9)).as("completed once").isNull();
	}

	private static void assertAcknowledgement(MqttMessage message, MqttMessageType type, int packetId) {
		assertThat(message.fixedHeader().messageType()).isEqualTo(type);
		assertThat(((MqttMessageIdVariableHeader) message.variableHeader()).messageId()).isEqualTo(packetId);
	}

}
