package dev.mqttboot.demo;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.PublishOptions;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Simulated greenhouse devices on their own connection ({@code mqtt.clients.devices}, with a last will): a retained
 * "online" status at QoS 1, then a temperature and a humidity reading per zone at QoS 0 every
 * {@code demo.simulator.interval}.
 */
@Component
@ConditionalOnBooleanProperty(name = "demo.simulator.enabled", matchIfMissing = true)
public class DeviceSimulator {

	static final List<String> ZONES = List.of("zone-1", "zone-2");

	private final MqttOperations devices;

	DeviceSimulator(MqttOperations mqtt) {
		this.devices = mqtt.forClient("devices");
	}

	@EventListener(ApplicationReadyEvent.class)
	void online() {
		this.devices.publish("greenhouse/zone-1/devices/simulator/status", "online",
				PublishOptions.builder().qos(1).retained(true).build());
	}

	@Scheduled(fixedRateString = "${demo.simulator.interval:2s}", initialDelayString = "${demo.simulator.interval:2s}")
	void publishReadings() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (String zone : ZONES) {
			this.devices.publish("greenhouse/" + zone + "/sensors/temperature",
					new Reading(Math.round((18 + random.nextDouble() * 20) * 10) / 10.0, "C"), PublishOptions.qos(0));
			this.devices.publish("greenhouse/" + zone + "/sensors/humidity",
					new Reading(Math.round((40 + random.nextDouble() * 40) * 10) / 10.0, "%"), PublishOptions.qos(0));
		}
	}

}
