package dev.mqttboot.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The embedded broker runs when {@code mqtt.broker.enabled} is true, or when it is not set and no client URL is
 * configured: like an embedded database, it is the default until the application points somewhere else.
 */
class EmbeddedBrokerCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Binder binder = Binder.get(context.getEnvironment());
		Boolean enabled = binder.bind("mqtt.broker.enabled", Boolean.class).orElse(null);
		if (enabled != null) {
			return new ConditionOutcome(enabled, "mqtt.broker.enabled is " + enabled);
		}
		List<String> urls = binder.bind("mqtt.client.url", Bindable.listOf(String.class)).orElse(List.of());
		if (urls.stream().anyMatch((url) -> url != null && !url.isBlank())) {
			return ConditionOutcome.noMatch("mqtt.client.url is set and mqtt.broker.enabled is not");
		}
		return ConditionOutcome.match("no mqtt.client.url: the embedded broker is the default");
	}

}
