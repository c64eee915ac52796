package org.example.sample;

import java.util.concurrent.TimeUnit;

import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.client.MqttTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
class SampleApplicationTests {

	@Autowired
	MqttBroker broker;

	@Autowired
	MqttTemplate template;

	@Autowired
	SampleApplication.Greetings greetings;

	@Test
	void theEmbeddedArtemisBrokerCarriesAMessageToAListener() throws Exception {
		assertThat(this.broker.isRunning()).isTrue();
		assertThat(this.broker.getClass().getName()).isEqualTo("dev.mqttboot.broker.artemis.ArtemisBroker");
		// Sent again until it arrives: this test is about building and starting, not about when a listener subscribes.
		String received = null;
		for (int attempt = 0; attempt < 30 && received == null; attempt++) {
			this.template.publish("greetings/world", "hello").get(30, TimeUnit.SECONDS);
			received = this.greetings.received.poll(1, TimeUnit.SECONDS);
		}
		assertThat(received).isEqualTo("hello");
	}

	@Test
	void artemisComesFromSpringBootsDependencyManagement() {
		String server = org.apache.activemq.artemis.core.server.ActiveMQServer.class.getProtectionDomain()
			.getCodeSource().getLocation().toString();
		assertThat(server).contains("org/apache/artemis/artemis-server/");
	}

}
