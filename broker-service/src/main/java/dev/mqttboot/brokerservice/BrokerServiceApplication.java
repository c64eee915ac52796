package dev.mqttboot.brokerservice;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import dev.mqttboot.brokerconsole.ConsoleConfiguration;

/**
 * The MQTT broker as a standalone service: everything it does comes from the starter and its
 * {@code application.yml}, plus the console on the management port ({@link ConsoleConfiguration}). On SIGTERM it stops accepting, lets the clients go, persists its state and exits 0.
 */
@SpringBootApplication
@Import(ConsoleConfiguration.class)
public class BrokerServiceApplication {

	private static final Logger logger = LoggerFactory.getLogger(BrokerServiceApplication.class);

	/**
	 * Start the service.
	 * @param args command-line arguments (Spring Boot properties such as {@code --mqtt.broker.port=1883})
	 */
	public static void main(String[] args) {
		ConfigurableApplicationContext context = SpringApplication.run(BrokerServiceApplication.class, args);
		// The JVM's own SIGTERM handling exits 143; an orchestrator stopping us on purpose should see a clean 0.
		Signal.handle(new Signal("TERM"), (signal) -> {
			logger.info("SIGTERM: shutting down gracefully");
			System.exit(SpringApplication.exit(context));
		});
	}

}
