package dev.mqttboot.broker.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.mqttboot.core.TopicLimits;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packet rules both engines apply, on the packets as Netty decodes them, without a socket. The engine suites
 * (ProtocolGuardTests, Mqtt311ConformanceTests, on both engines) check the same rules end to end.
 */
class PacketRulesTests {

	private final PacketRules rules = new PacketRules(new TopicLimits(4, 64), 1024);

	@Test
	void connectComesFirstAndOnceAndServerPacketsNeverComeFromAClient() {
		assertThat(this.rules.sequence(MqttMessageType.CONNECT, false)).isNull();
		assertThat(this.rules.sequence(MqttMessageType.CONNECT, true)).isEqualTo("second CONNECT on one connection");
		assertThat(this.rules.sequence(MqttMessageType.PUBLISH, false)).isEqualTo("first packet is PUBLISH, not CONNECT");
		for (MqttMessageType type : List.of(MqttMessageType.CONNACK, MqttMessageType.SUBACK, MqttMessageType.UNSUBACK,
				MqttMessageType.PINGRESP)) {
			assertThat(this.rules.sequence(type, true)).as("%s", type).contains("not sent by clients");
		}
		for (MqttMessageType type : List.of(MqttMessageType.PUBLISH, MqttMessageType.PUBACK, MqttMessageType.PUBREC,
				MqttMessageType.PUBREL, MqttMessageType.PUBCOMP, MqttMessageType.SUBSCRIBE, MqttMessageType.UNSUBSCRIBE,
				MqttMessageType.PINGREQ, MqttMessageType.DISCONNECT)) {
			assertThat(this.rules.sequence(type, true)).as("%s", type).isNull();
		}
	}

	@Test
	void aWillNeedsAValidTopicAndQosAndWithoutOneItsFlagsAreClear() {
		assertThat(this.rules.connect(connect(true, "status/a", 1, false))).isNull();
		assertThat(this.rules.connect(connect(false, null, 0, false))).isNull();
		assertThat(this.rules.connect(connect(true, "status/+", 1, false))).startsWith("invalid will topic");
		assertThat(this.rules.connect(connect(true, "a/b/c/d/e", 1, false))).startsWith("invalid will topic");
		assertThat(this.rules.connect(connect(false, null, 0, true)))
			.isEqualTo("will QoS or will retain set without a will");
	}

	@Test
	void aPublishNeedsAValidTopicAndMqtt311KeepsToTheLargestPacket() {
		assertThat(this.rules.publish(publish("plant/line-1", 10), "plant/line-1", 4)).isNull();
		assertThat(this.rules.publish(publish("plant/#", 10), "plant/#", 4)).contains("invalid PUBLISH 'plant/#'");
		assertThat(this.rules.publish(publish("", 10), "", 4)).contains("invalid PUBLISH ''");
		// MQTT 5: an empty topic name stands for a topic alias.
		assertThat(this.rules.publish(publish("", 10), "", 5)).isNull();
		assertThat(this.rules.publish(publish("a", 1020), "a", 4)).contains("max-message-size");
		assertThat(this.rules.publish(publish("a", 1010), "a", 4)).isNull();
	}

	@Test
	void subscribeAndUnsubscribeNeedValidFiltersWithinTheLimits() {
		assertThat(this.rules.subscribe(subscribe("plant/+/temperature", "plant/#"))).isNull();
		assertThat(this.rules.subscribe(subscribe("plant/#", "plant/#/x"))).contains("'plant/#/x'");
		assertThat(this.rules.subscribe(subscribe("a/b/c/d/e"))).contains("'a/b/c/d/e'");
		assertThat(this.rules.unsubscribe(unsubscribe("plant/+"))).isNull();
		assertThat(this.rules.unsubscribe(unsubscribe("plant/#", "p+"))).contains("invalid UNSUBSCRIBE 'p+'");
	}

	@Test
	void authIsAnMqtt5Packet() {
		MqttMessage auth = new MqttMessage(new MqttFixedHeader(MqttMessageType.AUTH, false, MqttQoS.AT_MOST_ONCE, false,
				0));
		assertThat(this.rules.content(auth, 4)).isEqualTo("AUTH is an MQTT 5 packet");
		assertThat(this.rules.content(auth, 5)).isNull();
	}

	private static MqttConnectMessage connect(boolean will, String topic, int qos, boolean retain) {
		MqttMessageBuilders.ConnectBuilder builder = MqttMessageBuilders.connect()
			.clientId("c")
			.protocolVersion(MqttVersion.MQTT_3_1_1)
			.keepAlive(60);
		if (will) {
			builder.willFlag(true).willTopic(topic).willMessage("gone".getBytes(StandardCharsets.UTF_8));
		}
		MqttConnectMessage built = builder.willQoS(MqttQoS.valueOf(qos)).willRetain(retain).build();
		return built;
	}

	private static MqttPublishMessage publish(String topic, int remainingLength) {
		return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false,
				remainingLength), new MqttPublishVariableHeader(topic, 1), Unpooled.EMPTY_BUFFER);
	}

	private static MqttSubscribeMessage subscribe(String... filters) {
		MqttMessageBuilders.SubscribeBuilder builder = MqttMessageBuilders.subscribe().messageId(1);
		for (String filter : filters) {
			builder.addSubscription(MqttQoS.AT_LEAST_ONCE, filter);
		}
		return builder.build();
	}

	private static MqttUnsubscribeMessage unsubscribe(String... filters) {
		MqttMessageBuilders.UnsubscribeBuilder builder = MqttMessageBuilders.unsubscribe().messageId(1);
		for (String filter : filters) {
			builder.addTopicFilter(filter);
		}
		return builder.build();
	}

}
