package dev.mqttboot.brokerservice;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

import dev.mqttboot.brokerconsole.ConsoleConfiguration;

/**
 * The MQTT broker as a standalone service: everything it does comes from the starter and its
 * {@code application.yml}, plus the console on the management port ({@link ConsoleConfiguration}). On SIGTERM it
 * stops accepting, lets the clients go, persists its state and exits 0.
 */
@SpringBootApplication
@Import(ConsoleConfiguration.class)
public class BrokerServiceApplication {

	/**
	 * Start the service.
	 * @param args command-line arguments (Spring Boot properties such as {@code --mqtt.broker.port=1883})
	 */
	public static void main(String[] args) {
		AtomicBoolean started = new AtomicBoolean();
		// A JVM stopped by SIGTERM exits 143 even after a clean shutdown; an orchestrator or systemd stopping the
		// service on purpose should see 0. Spring Boot runs its shutdown handlers in reverse order of registration,
		// so this one, registered before any other, runs last: after the context has closed gracefully and logging
		// has been flushed. A service that failed to start keeps its non-zero exit code.
		SpringApplication.getShutdownHandlers().add(() -> {
			if (started.get()) {
				Runtime.getRuntime().halt(0);
			}
		});
		SpringApplication.run(BrokerServiceApplication.class, args);
		started.set(true);
	}

}
