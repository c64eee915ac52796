package dev.mqttboot.support;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.mqttboot.broker.BrokerEngine;
import dev.mqttboot.broker.MqttBroker;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * An application with the starter's auto-configuration, started on a random loopback port, as a user's app would.
 */
public final class TestBroker implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private TestBroker(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/** Start an application with the embedded broker only (no client connections). */
	public static TestBroker start(String... properties) {
		return startWithClients(concat(new String[] { "mqtt.client.enabled=false" }, properties));
	}

	/** Start an application with the embedded broker on the given engine only (no client connections). */
	public static TestBroker start(BrokerEngine engine, String... properties) {
		return start(concat(new String[] { engineProperty(engine) }, properties));
	}

	/** Start an application with the embedded broker on the given engine and the configured client connections. */
	public static TestBroker startWithClients(BrokerEngine engine, String... properties) {
		return startWithClients(concat(new String[] { engineProperty(engine) }, properties));
	}

	/** @return the property choosing an engine */
	public static String engineProperty(BrokerEngine engine) {
		return "mqtt.broker.engine=" + engine.name().toLowerCase(java.util.Locale.ROOT);
	}

	/** Start an application with the embedded broker and the client connections configured by the properties. */
	public static TestBroker startWithClients(String... properties) {
		List<String> all = new ArrayList<>(List.of("mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0",
				"spring.main.banner-mode=off"));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
		return new TestBroker(context);
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	public MqttBroker broker() {
		return this.context.getBean(MqttBroker.class);
	}

	public int port() {
		return broker().ports().mqtt();
	}

	public String tcpUrl() {
		return "tcp://127.0.0.1:" + port();
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	public static String[] concat(String[] first, String... more) {
		return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
