package dev.mqttboot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * An {@link ObservationConvention} for listener invocations; a bean of this type replaces
 * {@link DefaultMqttListenerObservationConvention}.
 */
public interface MqttListenerObservationConvention extends ObservationConvention<MqttListenerContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof MqttListenerContext;
	}

}
