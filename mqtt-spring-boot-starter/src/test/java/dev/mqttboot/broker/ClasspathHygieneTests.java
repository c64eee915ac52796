package dev.mqttboot.broker;

import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Moquette 0.17 would drag in is kept out: Logback is the only SLF4J provider, and the broker's store runs on
 * the pinned H2 MVStore 2.1.212 without the full H2 jar.
 */
class ClasspathHygieneTests {

	@Test
	void logbackIsTheOnlySlf4jProvider() {
		assertThat(ServiceLoader.load(SLF4JServiceProvider.class).stream().map(ServiceLoader.Provider::type))
			.singleElement()
			.satisfies((type) -> assertThat(type.getName()).startsWith("ch.qos.logback"));
		assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
			.isEqualTo("ch.qos.logback.classic.LoggerContext");
	}

	@Test
	void reload4jBugsnagLibratoDropwizardAndHikariAreAbsent() {
		assertThat(isPresent("org.apache.log4j.Logger")).isFalse();
		assertThat(isPresent("org.slf4j.reload4j.Reload4jServiceProvider")).isFalse();
		assertThat(isPresent("com.bugsnag.Bugsnag")).isFalse();
		assertThat(isPresent("com.librato.metrics.client.LibratoClient")).isFalse();
		assertThat(isPresent("com.codahale.metrics.MetricRegistry")).isFalse();
		assertThat(isPresent("com.zaxxer.hikari.HikariDataSource")).isFalse();
	}

	@Test
	void theStoreUsesThePinnedMvStoreWithoutTheFullH2Jar() {
		assertThat(isPresent("org.h2.Driver")).isFalse();
		assertThat(org.h2.mvstore.MVStore.class.getProtectionDomain().getCodeSource().getLocation().toString())
			.contains("h2-mvstore-2.1.212");
	}

	private static boolean isPresent(String className) {
		try {
			Class.forName(className, false, ClasspathHygieneTests.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException ex) {
			return false;
		}
	}

}
