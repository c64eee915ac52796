/**
 * Micrometer Observation of template publishes and listener invocations: their contexts, conventions and
 * documentation. Over MQTT 5 the trace context travels as the {@code traceparent} and {@code tracestate} user
 * properties (W3C Trace Context: MQTT), so a listener's observation continues its publisher's trace.
 */
@NullMarked
package dev.mqttboot.observation;

import org.jspecify.annotations.NullMarked;
