// Checks Kubernetes manifests against the API's schemas (kubernetes-models), for the kinds
// that `podman play kube` does not run, and custom resources against their CRDs' schemas
// (@kubernetes-models/<project>). A YAML file held in a ConfigMap must parse, and the
// Prometheus Adapter's rules in one must have what the adapter needs.
// Usage: node validate-kubernetes.mjs FILE...
// The modules come from NODE_PATH's directory (installed outside the repository).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.env.NODE_PATH;
const require = createRequire(join(modules, "noop.js"));
const { parse, parseAllDocuments } = require("yaml");

// API groups of the custom resources in the manifests, and the package of their models
const customResources = {
	"monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

function modelPath(apiVersion, kind) {
	if (!apiVersion.includes("/")) {
		return join(modules, "kubernetes-models", "v1", `${kind}.js`);
	}
	const group = apiVersion.substring(0, apiVersion.indexOf("/"));
	const models = customResources[group] ?? "kubernetes-models";
	return join(modules, models, apiVersion, `${kind}.js`);
}

// The rules of the Prometheus Adapter (its config.yaml): each names a series, maps its labels
// to Kubernetes resources, and queries with the adapter's placeholders.
function checkAdapterRules(config) {
	const problems = [];
	for (const [index, rule] of (config.rules ?? []).entries()) {
		const where = `rules[${index}]`;
		if (typeof rule.seriesQuery !== "string") {
			problems.push(`${where}: no seriesQuery`);
		}
		if (!rule.resources?.overrides && !rule.resources?.template) {
			problems.push(`${where}: no resources (overrides or template)`);
		}
		if (typeof rule.metricsQuery !== "string" || !rule.metricsQuery.includes("<<.LabelMatchers>>")
			|| !rule.metricsQuery.includes("<<.GroupBy>>")) {
			problems.push(`${where}: metricsQuery must use <<.LabelMatchers>> and <<.GroupBy>>`);
		}
		if (rule.name !== undefined && typeof rule.name.as !== "string") {
			problems.push(`${where}: name without "as"`);
		}
	}
	return problems;
}

function checkConfigMap(manifest) {
	const problems = [];
	for (const [key, value] of Object.entries(manifest.data ?? {})) {
		if (!/\.ya?ml$/.test(key)) {
			continue;
		}
		try {
			const config = parse(value);
			if (config && Array.isArray(config.rules)) {
				problems.push(...checkAdapterRules(config).map((problem) => `${key}: ${problem}`));
			}
		}
		catch (error) {
			problems.push(`${key}: ${error.message}`);
		}
	}
	return problems;
}

let failures = 0;
for (const file of process.argv.slice(2)) {
	for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
		if (document.errors.length > 0) {
			console.error(`${file}: ${document.errors.join("; ")}`);
			failures++;
			continue;
		}
		const manifest = document.toJS();
		if (manifest === null) {
			continue;
		}
		const { apiVersion, kind } = manifest;
		try {
			const model = await import(pathToFileURL(modelPath(apiVersion, kind)).href);
			new model[kind](manifest).validate();
			const problems = (kind === "ConfigMap") ? checkConfigMap(manifest) : [];
			if (problems.length > 0) {
				throw new Error(problems.join("; "));
			}
			console.log(`${file}: ${kind} ${manifest.metadata?.name} is valid ${apiVersion}`);
		}
		catch (error) {
			console.error(`${file}: ${kind} ${manifest.metadata?.name}: ${error.message}`);
			failures++;
		}
	}
}
process.exit(failures === 0 ? 0 : 1);
