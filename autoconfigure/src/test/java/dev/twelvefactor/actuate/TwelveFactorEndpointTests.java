package dev.twelvefactor.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

import dev.twelvefactor.actuate.TwelveFactorEndpoint.LiveDescriptor;
import dev.twelvefactor.actuate.TwelveFactorEndpoint.SettingDescriptor;
import dev.twelvefactor.actuate.TwelveFactorEndpoint.SpringPropertyDescriptor;
import dev.twelvefactor.actuate.TwelveFactorEndpoint.TomcatDescriptor;
import dev.twelvefactor.actuate.TwelveFactorEndpoint.TwelveFactorDescriptor;
import dev.twelvefactor.autoconfigure.TwelveFactorAutoConfiguration;
import dev.twelvefactor.config.EffectiveConfiguration;
import dev.twelvefactor.config.ConfiguredValue;
import dev.twelvefactor.config.SettingSource;
import dev.twelvefactor.config.TwelveFactorEnvironmentPostProcessor;
import dev.twelvefactor.config.SettingSource.Kind;
import dev.twelvefactor.config.SpringProperty;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TwelveFactorEndpoint}, against a live embedded Tomcat.
 *
 * @author twelvefactor
 */
class TwelveFactorEndpointTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner(
			AnnotationConfigServletWebServerApplicationContext::new)
		.withConfiguration(AutoConfigurations.of(TwelveFactorAutoConfiguration.class,
				TomcatServletWebServerAutoConfiguration.class, EndpointAutoConfiguration.class,
				TwelveFactorActuatorAutoConfiguration.class))
		.withInitializer((context) -> new TwelveFactorEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withPropertyValues("server.address=127.0.0.1", "server.port=0",
				"management.endpoints.web.exposure.include=twelvefactor");

	@Test
	void showsEachSettingWithItsValueAndSource() {
		this.contextRunner.withPropertyValues("twelvefactor.workers=7").run((context) -> {
			TwelveFactorDescriptor descriptor = context.getBean(TwelveFactorEndpoint.class).twelveFactor();
			assertThat(descriptor.settings()).containsKeys("twelvefactor.bind", "twelvefactor.timeout",
					"twelvefactor.ssl.keyfile");
			SettingDescriptor workers = descriptor.settings().get("twelvefactor.workers");
			assertThat(workers.value()).isEqualTo("7");
			assertThat(workers.source()).isEqualTo("twelvefactor.workers");
			assertThat(workers.sourceKind()).isEqualTo(Kind.PROPERTY);
			assertThat(workers.variables()).containsExactly("TWELVEFACTOR_WORKERS", "GUNICORN_WORKERS", "WEB_CONCURRENCY");
			assertThat(descriptor.settings().get("twelvefactor.timeout").sourceKind()).isEqualTo(Kind.DEFAULT);
		});
	}

	@Test
	void showsWhatTheLiveConnectorRunsWith() {
		this.contextRunner
			.withPropertyValues("twelvefactor.workers=7", "twelvefactor.backlog=33", "twelvefactor.keep-alive=5s",
					"twelvefactor.timeout=20")
			.run((context) -> {
				TomcatDescriptor tomcat = context.getBean(TwelveFactorEndpoint.class).twelveFactor().tomcat();
				assertThat(tomcat).isNotNull();
				// Room for 7 admitted, 33 waiting and 7 abandoned past their deadline
				assertThat(tomcat.maxThreads()).isEqualTo(47);
				assertThat(tomcat.minSpareThreads()).isEqualTo(10);
				assertThat(tomcat.acceptCount()).isEqualTo(100);
				assertThat(tomcat.connectionTimeoutMillis()).isEqualTo(20_000);
				assertThat(tomcat.keepAliveTimeoutMillis()).isEqualTo(5_000);
				assertThat(tomcat.address()).isEqualTo("127.0.0.1");
				int port = ((ServletWebServerApplicationContext) context.getSourceApplicationContext()).getWebServer()
					.getPort();
				assertThat(tomcat.port()).isEqualTo(port);
				assertThat(tomcat.name()).startsWith("http-nio-127.0.0.1-").endsWith("-" + port).doesNotContain("\"");
				assertThat(tomcat.scheme()).isEqualTo("http");
				assertThat(tomcat.secure()).isFalse();
				assertThat(tomcat.virtualThreads()).isFalse();
			});
	}

	@Test
	void busyThreadsCountRequestsBeingHandled() {
		this.contextRunner.withUserConfiguration(BlockingServletConfiguration.class).run((context) -> {
			TwelveFactorEndpoint endpoint = context.getBean(TwelveFactorEndpoint.class);
			BlockingServlet servlet = context.getBean(BlockingServlet.class);
			awaitBusyThreads(endpoint, 0);
			int port = endpoint.twelveFactor().tomcat().port();
			CompletableFuture<HttpResponse<String>> response = HttpClient.newHttpClient()
				.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/block")).build(),
						HttpResponse.BodyHandlers.ofString());
			try {
				assertThat(servlet.entered.await(10, TimeUnit.SECONDS)).isTrue();
				assertThat(endpoint.twelveFactor().live().busyThreads()).isEqualTo(1);
			}
			finally {
				servlet.release.countDown();
			}
			assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			awaitBusyThreads(endpoint, 0);
		});
	}

	@Test
	void showsRequestFiguresOfTheStartersAdmissionControl() {
		this.contextRunner.withPropertyValues("twelvefactor.workers=7").run((context) -> {
			assertThat(context).hasSingleBean(RequestStatistics.class);
			LiveDescriptor live = context.getBean(TwelveFactorEndpoint.class).twelveFactor().live();
			assertThat(live.busyThreads()).isNotNull();
			assertThat(live.admissionLimit()).isEqualTo(7);
			assertThat(live.requestsWaiting()).isZero();
			assertThat(live.requestsShed()).isZero();
			assertThat(live.requestsInFlight()).isZero();
			assertThat(live.deadlinesHit()).isZero();
			assertThat(live.stuckThreads()).isZero();
		});
	}

	@Test
	void showsRequestFiguresFromRequestStatistics() {
		this.contextRunner.withBean(RequestStatistics.class, () -> FixedRequestStatistics.of(3, 12, 1))
			.run((context) -> {
				LiveDescriptor live = context.getBean(TwelveFactorEndpoint.class).twelveFactor().live();
				assertThat(live.admissionLimit()).isEqualTo(5);
				assertThat(live.requestsInFlight()).isEqualTo(3);
				assertThat(live.requestsWaiting()).isEqualTo(2);
				assertThat(live.requestsShed()).isEqualTo(11);
				assertThat(live.deadlinesHit()).isEqualTo(12);
				assertThat(live.stuckThreads()).isEqualTo(1);
			});
	}

	@Test
	void serializesWithJackson3() {
		this.contextRunner.withPropertyValues("twelvefactor.workers=7").run((context) -> {
			JsonMapper mapper = JsonMapper.builder().build();
			JsonNode json = mapper
				.readTree(mapper.writeValueAsString(context.getBean(TwelveFactorEndpoint.class).twelveFactor()));
			assertThat(json.at("/settings/twelvefactor.workers/value").asString()).isEqualTo("7");
			assertThat(json.at("/settings/twelvefactor.workers/sourceKind").asString()).isEqualTo("PROPERTY");
			assertThat(json.at("/tomcat/maxThreads").asInt()).isEqualTo(114);
			assertThat(json.at("/live/admissionLimit").asInt()).isEqualTo(7);
			assertThat(json.at("/live/busyThreads").isNumber()).isTrue();
			assertThat(json.at("/live").has("requestsInFlight")).isTrue();
		});
	}

	@Test
	void withoutARunningServerLeavesTomcatOut() {
		EffectiveConfiguration configuration = EffectiveConfiguration.get(new MockEnvironment());
		TwelveFactorEndpoint endpoint = new TwelveFactorEndpoint(configuration, () -> null, () -> null);
		TwelveFactorDescriptor descriptor = endpoint.twelveFactor();
		assertThat(descriptor.tomcat()).isNull();
		assertThat(descriptor.live().busyThreads()).isNull();
		assertThat(descriptor.settings()).hasSize(configuration.values().size()).containsKey("twelvefactor.workers");
	}

	@Test
	void masksAValueWhoseVariableNameLooksLikeASecret() {
		ConfiguredValue value = new ConfiguredValue("workers", "Workers", 7, "7",
				new SettingSource(Kind.ENVIRONMENT_VARIABLE, "DB_PASSWORD", null), List.of(), List.of());
		assertThat(SettingDescriptor.of(value).value()).isEqualTo("******");
	}

	@Test
	void masksAValueWhosePropertyNameLooksLikeASecret() {
		ConfiguredValue value = new ConfiguredValue("workers", "Workers", 7, "7",
				new SettingSource(Kind.PROPERTY, "my.api-token", "class path resource [application.properties] - 1:1"),
				List.of(), List.of());
		assertThat(SettingDescriptor.of(value).value()).isEqualTo("******");
	}

	@Test
	void showsTheKeyFilePathBecauseItIsAPathNotAKey() {
		ConfiguredValue value = new ConfiguredValue("ssl.keyfile", "Ssl keyfile", "/etc/tls/key.pem", "/etc/tls/key.pem",
				new SettingSource(Kind.ENVIRONMENT_VARIABLE, "SSL_KEYFILE", null), List.of(), List.of());
		assertThat(SettingDescriptor.of(value).value()).isEqualTo("/etc/tls/key.pem");
	}

	@Test
	void masksASpringPropertyWhoseNameLooksLikeASecret() {
		SpringProperty property = new SpringProperty("server.ssl.certificate-private-key", "inline PEM",
				new SettingSource(Kind.PROPERTY, "server.ssl.certificate-private-key", null), false);
		assertThat(SpringPropertyDescriptor.of(property).value()).isEqualTo("******");
	}

	@Test
	void showsASpringPropertyThatIsNoSecret() {
		SpringProperty property = new SpringProperty("server.tomcat.threads.max", "50",
				new SettingSource(Kind.ENVIRONMENT_VARIABLE, "SERVER_TOMCAT_THREADS_MAX", null), true);
		assertThat(SpringPropertyDescriptor.of(property)).isEqualTo(
				new SpringPropertyDescriptor("server.tomcat.threads.max", "50", true));
	}

	private static void awaitBusyThreads(TwelveFactorEndpoint endpoint, int expected) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!Integer.valueOf(expected).equals(endpoint.twelveFactor().live().busyThreads())
				&& System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(endpoint.twelveFactor().live().busyThreads()).isEqualTo(expected);
	}

	record FixedRequestStatistics(int limit, int inFlight, int waiting, long shedBacklogFull, long shedWaitedTooLong,
			long queueWaits, Duration totalQueueWait, long deadlinesHit, int stuckThreads) implements RequestStatistics {

		static FixedRequestStatistics of(int inFlight, long deadlinesHit, int stuckThreads) {
			return new FixedRequestStatistics(5, inFlight, 2, 7, 4, 20, Duration.ofSeconds(3), deadlinesHit,
					stuckThreads);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BlockingServletConfiguration {

		@Bean
		BlockingServlet blockingServlet() {
			return new BlockingServlet();
		}

		@Bean
		ServletRegistrationBean<BlockingServlet> blockingServletRegistration(BlockingServlet servlet) {
			return new ServletRegistrationBean<>(servlet, "/block");
		}

	}

	static class BlockingServlet extends HttpServlet {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@Override
		protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
			this.entered.countDown();
			try {
				this.release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			response.getWriter().print("released");
		}

	}

}
