package dev.twelvefactor.tomcat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import dev.twelvefactor.QuietOutput;
import dev.twelvefactor.QuietOutputExtension;
import dev.twelvefactor.autoconfigure.TwelveFactorAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring MVC asynchronous requests get the starter's timeout, through
 * {@code spring.mvc.async.request-timeout}.
 *
 * @author twelvefactor
 */
@ExtendWith(QuietOutputExtension.class)
class AsyncRequestTimeoutTests {

	@Test
	void deferredResultPastTheTimeoutIsAnswered503() throws Exception {
		try (ConfigurableApplicationContext context = run()) {
			assertThat(context.getEnvironment().getProperty("spring.mvc.async.request-timeout", Duration.class))
				.isEqualTo(Duration.ofSeconds(1));
			Timed response = get(context, "/deferred");
			assertThat(response.status()).isEqualTo(503);
			assertThat(response.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(1))
				.isLessThan(Duration.ofSeconds(8));
		}
	}

	@Test
	void interruptibleCallablePastTheTimeoutIsCutAtTheTimeout(QuietOutput output) throws Exception {
		// Spring MVC interrupts the Callable before it produces AsyncRequestTimeoutException,
		// so the Callable's InterruptedException usually wins the race and gives a 500
		try (ConfigurableApplicationContext context = run()) {
			Timed response = get(context, "/callable");
			assertThat(response.status()).isIn(500, 503);
			assertThat(response.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(1))
				.isLessThan(Duration.ofSeconds(8));
			if (response.status() == 500) {
				// Tomcat logs the Callable's own exception, with its stack trace
				assertThat(output.toString()).contains("java.lang.InterruptedException: sleep interrupted");
			}
		}
	}

	private static ConfigurableApplicationContext run() {
		SpringApplication application = new SpringApplication(AsyncApplication.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		return application.run("--server.address=127.0.0.1", "--server.port=0", "--twelvefactor.timeout=1",
				"--spring.main.banner-mode=off");
	}

	private static Timed get(ConfigurableApplicationContext context, String path) throws Exception {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		long start = System.nanoTime();
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.timeout(Duration.ofSeconds(20))
				.build(), HttpResponse.BodyHandlers.ofString());
		return new Timed(response.statusCode(), Duration.ofNanos(System.nanoTime() - start));
	}

	private record Timed(int status, Duration elapsed) {
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TwelveFactorAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
			DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class })
	@Import(AsyncController.class)
	static class AsyncApplication {

	}

	@RestController
	static class AsyncController {

		@GetMapping("/deferred")
		DeferredResult<String> never() {
			return new DeferredResult<>();
		}

		@GetMapping("/callable")
		Callable<String> slow() {
			return () -> {
				Thread.sleep(10_000);
				return "late";
			};
		}

	}

}
