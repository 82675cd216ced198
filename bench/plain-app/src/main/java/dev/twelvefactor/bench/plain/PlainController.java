package dev.twelvefactor.bench.plain;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample app's endpoints, line for line, so both applications do the same work per
 * request.
 *
 * @author twelvefactor
 */
@RestController
class PlainController {

	private static final Log logger = LogFactory.getLog(PlainController.class);

	private static final long MAX_SLEEP_MILLIS = 600_000;

	@GetMapping("/")
	Map<String, String> hello() {
		return Map.of("message", "Hello from twelvefactor");
	}

	@GetMapping("/sleep")
	Map<String, Object> sleep(@RequestParam(defaultValue = "1000") long ms) throws InterruptedException {
		long millis = Math.max(0, Math.min(ms, MAX_SLEEP_MILLIS));
		logger.info("Sleeping " + millis + " ms");
		Thread.sleep(millis);
		return Map.of("slept", millis);
	}

}
