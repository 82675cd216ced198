package dev.twelvefactor.config;

import java.util.function.Consumer;

import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.core.env.StandardEnvironment;

import dev.twelvefactor.autoconfigure.TwelveFactorAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BootProperties}: from a setting, through the Spring Boot properties it
 * maps to, to a live embedded Tomcat's connector.
 *
 * @author twelvefactor
 */
class BootPropertiesTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner(
			AnnotationConfigServletWebServerApplicationContext::new)
		.withConfiguration(AutoConfigurations.of(TwelveFactorAutoConfiguration.class,
				TomcatServletWebServerAutoConfiguration.class))
		.withInitializer((context) -> new TwelveFactorEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withPropertyValues("server.port=0");

	@Test
	void threadPoolHasRoomForTheAdmittedTheWaitingAndTheAbandonedRequests() {
		// 14 admitted (7 workers x 2 threads), 100 waiting, 14 abandoned past their deadline
		this.contextRunner.withPropertyValues("twelvefactor.workers=7", "twelvefactor.threads=2")
			.run(connector((protocol) -> {
				assertThat(protocol.getMaxThreads()).isEqualTo(128);
				assertThat(protocol.getMinSpareThreads()).isEqualTo(10);
			}));
	}

	@Test
	void minSpareThreadsNeverExceedMaxThreads() {
		this.contextRunner.withPropertyValues("twelvefactor.workers=1", "twelvefactor.backlog=1")
			.run(connector((protocol) -> {
				assertThat(protocol.getMaxThreads()).isEqualTo(3);
				assertThat(protocol.getMinSpareThreads()).isEqualTo(3);
			}));
	}

	@Test
	void defaultThreadPoolComesFromTheCoresAndTheBacklog() {
		int workers = Math.max(3, 2 * Runtime.getRuntime().availableProcessors() + 1);
		this.contextRunner
			.run(connector((protocol) -> assertThat(protocol.getMaxThreads()).isEqualTo(2 * workers + 100)));
	}

	@Test
	void explicitSpringBootMaxThreadsAreLeftAloneWhenWorkersAreUnset() {
		this.contextRunner.withPropertyValues("server.tomcat.threads.max=50")
			.run(connector((protocol) -> assertThat(protocol.getMaxThreads()).isEqualTo(50)));
	}

	@Test
	void explicitSpringBootMaxThreadsAreLeftAloneWhateverTheWorkers() {
		// Workers bound the requests admitted, not Tomcat's pool
		this.contextRunner.withPropertyValues("server.tomcat.threads.max=50", "twelvefactor.workers=6")
			.run(connector((protocol) -> assertThat(protocol.getMaxThreads()).isEqualTo(50)));
	}

	@Test
	void timeoutSetsTheConnectionTimeout() {
		this.contextRunner.withPropertyValues("twelvefactor.timeout=20")
			.run(connector((protocol) -> assertThat(protocol.getConnectionTimeout()).isEqualTo(20_000)));
	}

	@Test
	void zeroTimeoutLeavesTomcatsConnectionTimeout() {
		this.contextRunner.withPropertyValues("twelvefactor.timeout=0")
			.run(connector((protocol) -> assertThat(protocol.getConnectionTimeout()).isEqualTo(60_000)));
	}

	@Test
	void explicitSpringBootConnectionTimeoutIsLeftAloneWhenTimeoutIsUnset() {
		this.contextRunner.withPropertyValues("server.tomcat.connection-timeout=7s")
			.run(connector((protocol) -> assertThat(protocol.getConnectionTimeout()).isEqualTo(7_000)));
	}

	@Test
	void keepAliveIsAppliedWhenSetAndTheBacklogIsNotTheAcceptQueue() {
		this.contextRunner.withPropertyValues("twelvefactor.keep-alive=5", "twelvefactor.backlog=33")
			.run(connector((protocol) -> {
				assertThat(protocol.getKeepAliveTimeout()).isEqualTo(5_000);
				assertThat(protocol.getAcceptCount()).isEqualTo(100);
			}));
	}

	@Test
	void keepAliveAndBacklogAreTomcatsByDefault() {
		this.contextRunner.withPropertyValues("twelvefactor.timeout=20").run(connector((protocol) -> {
			assertThat(protocol.getKeepAliveTimeout()).isEqualTo(20_000);
			assertThat(protocol.getAcceptCount()).isEqualTo(100);
		}));
	}

	@Test
	void subSecondTimeoutKeepsAConnectionTimeoutOfOneSecond() {
		this.contextRunner.withPropertyValues("twelvefactor.timeout=1ms")
			.run(connector((protocol) -> assertThat(protocol.getConnectionTimeout()).isEqualTo(1_000)));
	}

	@Test
	void actuatorOnAPortOfItsOwnIsBoundToLoopbackByDefault() {
		StandardEnvironment environment = TestEnvironments.create()
			.property("management.server.port", "${MANAGEMENT_SERVER_PORT:8081}")
			.prepare();
		assertThat(environment.getProperty("management.server.address")).isEqualTo("127.0.0.1");
	}

	@Test
	void actuatorAddressTheUserChoseIsLeftAlone() {
		StandardEnvironment environment = TestEnvironments.create()
			.variable("MANAGEMENT_SERVER_PORT", "8081")
			.variable("MANAGEMENT_SERVER_ADDRESS", "0.0.0.0")
			.prepare();
		assertThat(environment.getProperty("management.server.address")).isEqualTo("0.0.0.0");
	}

	@Test
	void actuatorOnTheServersPortGetsNoAddress() {
		// Spring Boot refuses management.server.address without a port of its own
		StandardEnvironment environment = TestEnvironments.create()
			.variable("PORT", "8081")
			.variable("MANAGEMENT_SERVER_PORT", "8081")
			.prepare();
		assertThat(environment.getProperty("management.server.address")).isNull();
		assertThat(TestEnvironments.create().prepare().getProperty("management.server.address")).isNull();
	}

	private ContextConsumer<AssertableWebApplicationContext> connector(Consumer<AbstractProtocol<?>> assertions) {
		return (context) -> {
			assertThat(context).hasNotFailed();
			TomcatWebServer webServer = (TomcatWebServer) context
				.getSourceApplicationContext(ServletWebServerApplicationContext.class)
				.getWebServer();
			assertions.accept((AbstractProtocol<?>) webServer.getTomcat().getConnector().getProtocolHandler());
		};
	}

}
