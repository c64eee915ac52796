package dev.mqttboot.brokerconsole;

import dev.mqttboot.broker.MqttBroker;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * What the console's pages share, in the application context: its settings, the traffic rates it samples and the
 * live watches. The pages themselves live in the management context ({@link ConsoleManagementContextConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
@ConditionalOnBooleanProperty(name = "broker-service.console.enabled", matchIfMissing = true)
public class ConsoleConfiguration {

	/** The property that turns the console off. */
	public static final String ENABLED = "broker-service.console.enabled";

	@Bean
	ThreadPoolTaskScheduler consoleScheduler() {
		// One thread: it samples the meters and sends the live views' buffered messages, never on a broker thread.
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(1);
		scheduler.setThreadNamePrefix("console-");
		scheduler.setWaitForTasksToCompleteOnShutdown(false);
		return scheduler;
	}

	@Bean
	TrafficRates consoleTrafficRates(MeterRegistry registry, ThreadPoolTaskScheduler consoleScheduler) {
		TrafficRates rates = new TrafficRates(registry);
		consoleScheduler.scheduleWithFixedDelay(rates::sample, TrafficRates.INTERVAL);
		return rates;
	}

	@Bean
	LiveWatches consoleLiveWatches(MqttBroker broker, ConsoleProperties properties,
			ThreadPoolTaskScheduler consoleScheduler) {
		return new LiveWatches(broker, properties, consoleScheduler);
	}

}
