package dev.mqttboot.brokerservice;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;

/**
 * Who may use the management port: anyone for the health probes, info and the Prometheus scrape (no client identity
 * in any of them); the management user, over HTTP basic, for everything else, the {@code mqtt} endpoint's details and
 * actions included. Nothing else is served.
 */
@Configuration(proxyBeanMethods = false)
class ManagementSecurity {

	@Bean
	@Order(1)
	SecurityFilterChain managementFilterChain(HttpSecurity http) throws Exception {
		BasicAuthenticationEntryPoint challenge = new BasicAuthenticationEntryPoint();
		challenge.setRealmName("broker-service management");
		challenge.afterPropertiesSet();
		http.securityMatcher(EndpointRequest.toAnyEndpoint())
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers(EndpointRequest.to(HealthEndpoint.class, InfoEndpoint.class,
						PrometheusScrapeEndpoint.class))
				.permitAll()
				.anyRequest()
				.authenticated())
			// 401 with a Basic challenge for every caller without credentials, whatever it accepts.
			.httpBasic((basic) -> basic.authenticationEntryPoint(challenge))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(challenge))
			// Machines call these with credentials, not browsers with cookies.
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain applicationFilterChain(HttpSecurity http) throws Exception {
		// The error page that renders a 401, 404 or 400 of the management port keeps that status.
		http.authorizeHttpRequests((requests) -> requests.dispatcherTypeMatchers(DispatcherType.ERROR)
			.permitAll()
			.anyRequest()
			.denyAll());
		return http.build();
	}

}
