package com.example.compatibility;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A plain Spring MVC application with nothing of the starter's in its code.
 *
 * @author twelvefactor
 */
@SpringBootApplication
@RestController
public class CompatibilityApplication {

	public static void main(String[] args) {
		SpringApplication.run(CompatibilityApplication.class, args);
	}

	@GetMapping("/")
	String hello() {
		return "Hello";
	}

	@GetMapping("/sleep")
	String sleep(@RequestParam long ms) throws InterruptedException {
		Thread.sleep(ms);
		return "Slept";
	}

}
