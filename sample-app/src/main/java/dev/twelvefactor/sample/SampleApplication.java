package dev.twelvefactor.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small service that uses the twelvefactor starter exactly as a user would: one
 * dependency, no configuration code.
 *
 * @author twelvefactor
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
