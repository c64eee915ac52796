package dev.mqttboot.listener;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.support.MosquittoBroker;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.SendTo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5 request/response through a listener, against a real Mosquitto: user properties are bound, and the return
 * value goes to the request's response topic with its correlation data.
 */
class Mqtt5ListenerTests {

	@TempDir
	Path directory;

	@Test
	void aReplyGoesToTheResponseTopicWithTheCorrelationDataOnMosquitto() throws Exception {
		try (MosquittoBroker mosquitto = MosquittoBroker.start(this.directory);
				ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
					.web(WebApplicationType.NONE)
					.properties("mqtt.broker.enabled=false", "mqtt.client.url=" + mosquitto.url(),
							"mqtt.client.protocol-version=5", "spring.main.banner-mode=off")
					.run()) {
			assertRequestResponse(context, mosquitto.url());
		}
	}

	@Test
	void aReplyGoesToTheResponseTopicWithTheCorrelationDataOnTheEmbeddedArtemisBroker() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties("mqtt.broker.engine=artemis", "mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0",
					"mqtt.client.protocol-version=5", "spring.main.banner-mode=off")
			.run()) {
			assertRequestResponse(context, "tcp://127.0.0.1:" + context.getEnvironment().getProperty("local.mqtt.port"));
		}
	}

	private static void assertRequestResponse(ConfigurableApplicationContext context, String url) throws Exception {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> context.getBean(MqttConnections.class).get("default").isConnected());
		List<Map.Entry<String, MqttMessage>> replies = new CopyOnWriteArrayList<>();
		MqttClient requester = new MqttClient(url, "requester", new MemoryPersistence());
		requester.connect(new MqttConnectionOptions());
		try {
			requester.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
					new org.eclipse.paho.mqttv5.common.MqttSubscription("answers/#", 1) },
					new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
							(topic, message) -> replies.add(Map.entry(topic, message)) });
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				MqttMessage request = new MqttMessage("21".getBytes(StandardCharsets.UTF_8));
				request.setQos(1);
				MqttProperties properties = new MqttProperties();
				properties.setResponseTopic("answers/for-me");
				properties.setCorrelationData("corr-7".getBytes(StandardCharsets.UTF_8));
				properties.setUserProperties(List.of(new UserProperty("unit", "celsius")));
				request.setProperties(properties);
				requester.publish("questions/double", request);
				assertThat(replies).isNotEmpty();
			});
			// The request's response topic wins over the listener's @SendTo.
			assertThat(replies.get(0).getKey()).isEqualTo("answers/for-me");
			MqttMessage reply = replies.get(0).getValue();
			assertThat(new String(reply.getPayload(), StandardCharsets.UTF_8)).isEqualTo("42 celsius");
			assertThat(new String(reply.getProperties().getCorrelationData(), StandardCharsets.UTF_8))
				.isEqualTo("corr-7");
			// A request without a response topic is answered on the @SendTo topic.
			MqttMessage plain = new MqttMessage("5".getBytes(StandardCharsets.UTF_8));
			plain.setQos(1);
			requester.publish("questions/double", plain);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(replies)
				.filteredOn((entry) -> new String(entry.getValue().getPayload(), StandardCharsets.UTF_8)
					.equals("10 null"))
				.singleElement()
				.satisfies((entry) -> assertThat(entry.getKey()).isEqualTo("answers/default")));
		}
		finally {
			requester.disconnect();
			requester.close();
		}
	}

	static class Doubler {

		@MqttListener(topics = "questions/double", id = "doubler")
		@SendTo("answers/default")
		String doubleIt(String number, @Header(MqttMessageHeaders.USER_PROPERTIES) Map<String, String> properties) {
			return (Integer.parseInt(number) * 2) + " " + properties.get("unit");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		Doubler doubler() {
			return new Doubler();
		}

	}

}
