package dev.twelvefactor.config;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.apache.catalina.valves.RemoteIpValve;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.http11.AbstractHttp11Protocol;
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
	void defaultThreadPoolComesFromTheAdaptiveCeilingAndTheBacklog() {
		this.contextRunner.withPropertyValues("twelvefactor.max-workers=40")
			.run(connector((protocol) -> assertThat(protocol.getMaxThreads()).isEqualTo(2 * 40 + 100)));
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
	void loopbackIsTrustedWithForwardedHeadersThroughSpringBootsRemoteIpValve() {
		this.contextRunner.run(remoteIpValves((valves) -> {
			assertThat(valves).hasSize(1);
			assertThat(valves.get(0).getInternalProxies()).isEqualTo("127.0.0.1/32, ::1/128");
		}));
	}

	@Test
	void forwardedAllowIpsAreTheValvesInternalProxies() {
		this.contextRunner.withPropertyValues("twelvefactor.forwarded-allow-ips=10.0.0.0/8, fd00::/8, 192.0.2.7")
			.run(remoteIpValves((valves) -> assertThat(valves).singleElement()
				.satisfies((valve) -> assertThat(valve.getInternalProxies()).contains("10.0.0.0/8", "fd00::/8",
						"192.0.2.7/32"))));
	}

	@Test
	void explicitForwardHeadersStrategyIsLeftAloneWhenForwardedAllowIpsIsUnset() {
		this.contextRunner.withPropertyValues("server.forward-headers-strategy=none")
			.run(remoteIpValves((valves) -> assertThat(valves).isEmpty()));
	}

	@Test
	void explicitInternalProxiesAreLeftAloneWhenForwardedAllowIpsIsUnset() {
		this.contextRunner
			.withPropertyValues("server.forward-headers-strategy=native",
					"server.tomcat.remoteip.internal-proxies=10\\.1\\.2\\.3")
			.run(remoteIpValves((valves) -> assertThat(valves).singleElement()
				.satisfies((valve) -> assertThat(valve.getInternalProxies()).isEqualTo("10\\.1\\.2\\.3"))));
	}

	@Test
	void forwardedAllowIpsOverrideAnotherForwardHeadersStrategy() {
		this.contextRunner
			.withPropertyValues("server.forward-headers-strategy=framework", "twelvefactor.forwarded-allow-ips=*")
			.run(remoteIpValves((valves) -> assertThat(valves).singleElement()
				.satisfies((valve) -> assertThat(valve.getInternalProxies()).isEqualTo(".*"))));
	}

	@Test
	void requestHeadHasRoomForTheLongestLineAndTheLargestFieldAndTheFieldsAreCountedByTheStarter() {
		this.contextRunner.run(connector((protocol) -> {
			assertThat(((AbstractHttp11Protocol<?>) protocol).getMaxHttpRequestHeaderSize()).isEqualTo(32 * 1024);
			assertThat(((AbstractHttp11Protocol<?>) protocol).getMaxHeaderCount()).isEqualTo(-1);
		}));
		this.contextRunner.withPropertyValues("twelvefactor.limit-request-field-size=65536")
			.run(connector((protocol) -> assertThat(((AbstractHttp11Protocol<?>) protocol).getMaxHttpRequestHeaderSize())
				.isEqualTo(4094 + 65536 + 8192)));
	}

	@Test
	void explicitSpringBootRequestHeadSizeIsLeftAlone() {
		this.contextRunner.withPropertyValues("server.max-http-request-header-size=16KB")
			.run(connector((protocol) -> assertThat(((AbstractHttp11Protocol<?>) protocol).getMaxHttpRequestHeaderSize())
				.isEqualTo(16 * 1024)));
	}

	private ContextConsumer<AssertableWebApplicationContext> remoteIpValves(Consumer<List<RemoteIpValve>> assertions) {
		return (context) -> {
			assertThat(context).hasNotFailed();
			TomcatWebServer webServer = (TomcatWebServer) context
				.getSourceApplicationContext(ServletWebServerApplicationContext.class)
				.getWebServer();
			List<RemoteIpValve> valves = Arrays.stream(webServer.getTomcat().getEngine().getPipeline().getValves())
				.filter(RemoteIpValve.class::isInstance)
				.map(RemoteIpValve.class::cast)
				.toList();
			assertions.accept(valves);
		};
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
