package dev.mqttboot.listener;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Resolves {@link TopicVariable} parameters from the topic variables extracted for the message, converted to the
 * parameter's type.
 */
final class TopicVariableArgumentResolver implements HandlerMethodArgumentResolver {

	private final ConversionService conversionService;

	TopicVariableArgumentResolver(ConversionService conversionService) {
		this.conversionService = conversionService;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.hasParameterAnnotation(TopicVariable.class);
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
		TopicVariable variable = parameter.getParameterAnnotation(TopicVariable.class);
		if (variable == null) {
			throw new IllegalStateException("Parameter " + parameter + " is not annotated with @TopicVariable");
		}
		String name = variable.value();
		@SuppressWarnings("unchecked")
		Map<String, String> variables = (Map<String, String>) message.getHeaders()
			.get(MqttMessageHeaders.TOPIC_VARIABLES);
		String value = (variables != null) ? variables.get(name) : null;
		if (value == null) {
			throw new IllegalStateException("Topic variable '" + name + "' has no value for topic "
					+ message.getHeaders().get(MqttMessageHeaders.TOPIC));
		}
		return this.conversionService.convert(value, TypeDescriptor.valueOf(String.class),
				new TypeDescriptor(parameter));
	}

}
