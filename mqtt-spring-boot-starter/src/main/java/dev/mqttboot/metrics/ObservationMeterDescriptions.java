package dev.mqttboot.metrics;

import java.util.Map;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Gives the meters that Micrometer's observation handler makes of the starter's observations ({@code mqtt.template},
 * {@code mqtt.listener} and their {@code .active} long task timers) a description, which the handler leaves out: a
 * Prometheus scrape then has help text for every {@code mqtt_*} family. A meter that already has a description, or
 * another name, is left as it is.
 */
public final class ObservationMeterDescriptions implements MeterFilter {

	private static final Map<String, String> DESCRIPTIONS = Map.of("mqtt.template",
			"Template publishes observed, from the call to the broker's acknowledgement", "mqtt.template.active",
			"Template publishes observed and not yet acknowledged", "mqtt.listener",
			"@MqttListener invocations observed, retries included", "mqtt.listener.active",
			"@MqttListener invocations observed and in progress");

	@Override
	public Meter.Id map(Meter.Id id) {
		String description = DESCRIPTIONS.get(id.getName());
		if (description == null || id.getDescription() != null) {
			return id;
		}
		return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
	}

}
