package dev.twelvefactor.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged app's actuator is private by default: on loopback when it has a port of its
 * own, read-only unless asked for, and a warning when it shares the application's port.
 *
 * @author twelvefactor
 */
class ManagementIntegrationTests {

	private static final String LOGGERS_ROOT = "/actuator/loggers/ROOT";

	/**
	 * Exposure as the attacker's review found it, whatever the sample app exposes by default.
	 */
	private static final String EXPOSED = "health,env,configprops,loggers";

	@Test
	void actuatorOnItsOwnPortListensOnLoopbackOnlyAndItsLoggersCannotBeChanged() throws IOException {
		int port = SampleAppProcess.freePort();
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("TWELVEFACTOR_BIND", "127.0.0.1:" + port)
			.env("MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE", EXPOSED)
			.port(port)
			.start()
			.awaitReady()) {
			assertThat(listeningAddresses(app.managementPort())).as("addresses the actuator listens on")
				.isNotEmpty()
				.allSatisfy((address) -> assertThat(address).isIn("0100007F", "0000000000000000FFFF00000100007F"));
			HttpResponse<String> change = setRootLevel(app, "TRACE");
			assertThat(change.statusCode()).as(change.body()).isGreaterThanOrEqualTo(400);
			assertThat(app.management(LOGGERS_ROOT).body()).contains("\"configuredLevel\":\"INFO\"")
				.doesNotContain("TRACE");
		}
	}

	@Test
	void loggersCanBeChangedWhenAskedFor() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("MANAGEMENT_ENDPOINT_LOGGERS_ACCESS", "unrestricted")
			.env("MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE", EXPOSED)
			.start()
			.awaitReady()) {
			assertThat(setRootLevel(app, "DEBUG").statusCode()).isEqualTo(204);
			assertThat(app.management(LOGGERS_ROOT).body()).contains("\"configuredLevel\":\"DEBUG\"");
		}
	}

	@Test
	void actuatorAddressTheUserChoseIsUsed() throws IOException {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("MANAGEMENT_SERVER_ADDRESS", "0.0.0.0")
			.start()
			.awaitReady()) {
			assertThat(listeningAddresses(app.managementPort())).containsAnyOf("00000000",
					"00000000000000000000000000000000");
		}
	}

	@Test
	void actuatorSharingTheApplicationsPortIsWarnedAbout() {
		int port = SampleAppProcess.freePort();
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("PORT", String.valueOf(port))
			.env("MANAGEMENT_SERVER_PORT", String.valueOf(port))
			.env("MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE", EXPOSED)
			.start()
			.awaitReady()) {
			assertThat(app.get("/actuator/health").statusCode()).isEqualTo(200);
			assertThat(app.stderr()).containsPattern("WARN .* Actuator endpoints configprops, env, loggers are served "
					+ "on the application's port " + port + ", to whoever reaches it");
		}
	}

	private static HttpResponse<String> setRootLevel(SampleAppProcess app, String level) {
		return SampleAppProcess.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + app.managementPort() + LOGGERS_ROOT))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"configuredLevel\":\"" + level + "\"}"))
			.timeout(Duration.ofSeconds(30))
			.build());
	}

	/**
	 * Return the local addresses, as the kernel shows them in hexadecimal, of the sockets
	 * listening on the given port.
	 */
	private static List<String> listeningAddresses(int port) throws IOException {
		String hexPort = String.format(Locale.ROOT, "%04X", port);
		List<String> addresses = new ArrayList<>();
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			Path file = Path.of(table);
			if (!Files.isReadable(file)) {
				continue;
			}
			for (String line : Files.readAllLines(file)) {
				String[] fields = line.strip().split("\\s+");
				// sl local_address rem_address st ...; 0A is LISTEN
				if (fields.length > 3 && fields[3].equals("0A") && fields[1].endsWith(":" + hexPort)) {
					addresses.add(fields[1].substring(0, fields[1].indexOf(':')));
				}
			}
		}
		assertThat(Path.of("/proc/net/tcp")).as("the kernel's table of sockets (Linux)").isReadable();
		return addresses;
	}

}
