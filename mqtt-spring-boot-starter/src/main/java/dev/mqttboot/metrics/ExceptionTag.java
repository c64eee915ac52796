package dev.mqttboot.metrics;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import dev.mqttboot.client.MqttPublishException;

import org.jspecify.annotations.Nullable;

/**
 * The {@code exception} tag, as Spring Kafka's listener timers have it: the simple class name of what went wrong
 * (bounded by the code, never by the data), {@code none} on success.
 */
final class ExceptionTag {

	static final String NONE = "none";

	private ExceptionTag() {
	}

	static String of(@Nullable Throwable failure) {
		if (failure == null) {
			return NONE;
		}
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException
				|| cause instanceof MqttPublishException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		String name = cause.getClass().getSimpleName();
		return name.isEmpty() ? cause.getClass().getName() : name;
	}

}
