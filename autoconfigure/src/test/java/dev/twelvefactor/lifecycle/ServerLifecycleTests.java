package dev.twelvefactor.lifecycle;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.twelvefactor.autoconfigure.TwelveFactorAutoConfiguration;
import dev.twelvefactor.config.Workers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the starter's lifecycle events in a {@link SpringApplication} with a real
 * embedded Tomcat.
 *
 * @author twelvefactor
 */
@ExtendWith(OutputCaptureExtension.class)
class ServerLifecycleTests {

	@Test
	void publishesStartingReadyAndExitInOrder(CapturedOutput output) {
		List<ApplicationEvent> events = new CopyOnWriteArrayList<>();
		SpringApplication application = new SpringApplication(ServerConfiguration.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		application.addListeners((ApplicationListener<ApplicationEvent>) (event) -> {
			if (event instanceof ServerStartingEvent || event instanceof ServerReadyEvent
					|| event instanceof ServerExitEvent) {
				events.add(event);
			}
		});
		ConfigurableApplicationContext context = application.run("--server.port=0", "--twelvefactor.workers=4",
				"--spring.main.banner-mode=off");
		assertThat(events).hasSize(2);
		assertThat(events.get(0)).isInstanceOf(ServerStartingEvent.class);
		assertThat(events.get(1)).isInstanceOfSatisfying(ServerReadyEvent.class, (ready) -> {
			assertThat(ready.getConfiguration().properties().getWorkers()).isEqualTo(Workers.of(4));
			assertThat(ready.getPort()).isPositive();
		});
		context.close();
		assertThat(events).hasSize(3);
		assertThat(events.get(2)).isInstanceOfSatisfying(ServerExitEvent.class, (exit) -> {
			assertThat(exit.getDrainTime()).isGreaterThanOrEqualTo(java.time.Duration.ZERO);
			// Closed by the application, not by a signal: no drain delay
			assertThat(exit.getDrainDelay()).isZero();
			assertThat(exit.getConnectionsClosed()).isZero();
			assertThat(exit.getRequestsInFlight()).isZero();
			assertThat(exit.getRequestsCutOff()).isZero();
		});
		assertThat(output).contains("Starting (pid " + ProcessHandle.current().pid() + ")")
			.contains("Workers: 4 (--twelvefactor.workers)")
			.contains("Ready: listening on port " + ((ServerReadyEvent) events.get(1)).getPort())
			.contains("Stopping: draining")
			.contains("Exit: drained");
		assertThat(output.toString().indexOf("Exit: drained")).isGreaterThan(output.toString().indexOf("Stopping"));
	}

	@Test
	void reportStaysAtInfoWhenTheRootLevelIsError(CapturedOutput output) {
		SpringApplication application = new SpringApplication(ServerConfiguration.class);
		try (ConfigurableApplicationContext context = application.run("--server.port=0",
				"--twelvefactor.log-level=error", "--spring.main.banner-mode=off")) {
			assertThat(output).contains("Log level: error (--twelvefactor.log-level)")
				.doesNotContain("Tomcat started on port");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TwelveFactorAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class })
	static class ServerConfiguration {

	}

}
