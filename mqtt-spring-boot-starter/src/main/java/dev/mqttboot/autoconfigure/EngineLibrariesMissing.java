package dev.mqttboot.autoconfigure;

import java.util.Locale;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * {@code mqtt.broker.engine} is set explicitly, and the libraries of the engine it names are not on the class path.
 */
class EngineLibrariesMissing extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String engine = context.getEnvironment().getProperty("mqtt.broker.engine");
		if (engine == null) {
			return ConditionOutcome.noMatch("mqtt.broker.engine is not set");
		}
		String marker = switch (engine.trim().toLowerCase(Locale.ROOT)) {
			case "moquette" -> MqttBrokerAutoConfiguration.MoquetteEngine.ENGINE_CLASS;
			case "artemis" -> MqttBrokerAutoConfiguration.ArtemisEngine.MQTT_CLASS;
			default -> null;
		};
		if (marker == null) {
			// Binding mqtt.broker.engine reports the value and the accepted ones.
			return ConditionOutcome.noMatch("mqtt.broker.engine is not a known engine");
		}
		boolean present = ClassUtils.isPresent(marker, context.getClassLoader());
		return present ? ConditionOutcome.noMatch(engine + "'s libraries are present")
				: ConditionOutcome.match(engine + " is chosen but " + marker + " is missing");
	}

}
