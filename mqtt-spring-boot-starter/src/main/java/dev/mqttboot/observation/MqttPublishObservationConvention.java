package dev.mqttboot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * An {@link ObservationConvention} for template publishes; a bean of this type replaces
 * {@link DefaultMqttPublishObservationConvention}.
 */
public interface MqttPublishObservationConvention extends ObservationConvention<MqttPublishContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof MqttPublishContext;
	}

}
