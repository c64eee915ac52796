package dev.mqttboot.brokerservice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The MQTT broker as a standalone service: everything it does comes from the starter and its
 * {@code application.yml}.
 */
@SpringBootApplication
public class BrokerServiceApplication {

	/**
	 * Start the service.
	 * @param args command-line arguments (Spring Boot properties such as {@code --mqtt.broker.port=1883})
	 */
	public static void main(String[] args) {
		SpringApplication.run(BrokerServiceApplication.class, args);
	}

}
