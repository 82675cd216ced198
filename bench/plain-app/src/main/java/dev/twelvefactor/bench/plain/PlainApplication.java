package dev.twelvefactor.bench.plain;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample app as it would be without the twelvefactor starter: the same endpoints and
 * dependencies on plain Spring Boot, so the benchmarks can tell what the starter costs.
 *
 * @author twelvefactor
 */
@SpringBootApplication
public class PlainApplication {

	public static void main(String[] args) {
		SpringApplication.run(PlainApplication.class, args);
	}

}
